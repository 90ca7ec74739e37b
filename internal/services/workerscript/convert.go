package workerscript

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/domigrate"
)

func jsonValid(s string) bool { return json.Valid([]byte(s)) }

// bindings turns the configured variables and bindings into upload
// bindings, sorted by name so the same configuration uploads the same way.
func (m *scriptModel) bindings(ctx context.Context) ([]binding, diag.Diagnostics) {
	var diags diag.Diagnostics
	var out []binding
	strings := func(mp types.Map) map[string]string {
		v := map[string]string{}
		diags.Append(mp.ElementsAs(ctx, &v, false)...)
		return v
	}
	for name, text := range strings(m.Vars) {
		out = append(out, binding{Type: "plain_text", Name: name, Text: text})
	}
	for name, text := range strings(m.JSONVars) {
		out = append(out, binding{Type: "json", Name: name, JSON: json.RawMessage(text)})
	}
	for name, id := range strings(m.KVNamespaces) {
		out = append(out, binding{Type: "kv_namespace", Name: name, NamespaceID: id})
	}
	dos := map[string]doBindingModel{}
	diags.Append(m.DurableObjects.ElementsAs(ctx, &dos, false)...)
	for name, do := range dos {
		out = append(out, binding{Type: "durable_object_namespace", Name: name,
			ClassName: do.ClassName.ValueString(), ScriptName: do.ScriptName.ValueString()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, diags
}

// declaredClasses are the Durable Object classes the configuration declares.
func (m *scriptModel) declaredClasses(ctx context.Context) ([]domigrate.Declared, diag.Diagnostics) {
	classes := map[string]doClassModel{}
	diags := m.DurableObjectClasses.ElementsAs(ctx, &classes, false)
	var out []domigrate.Declared
	for name, c := range classes {
		out = append(out, domigrate.Declared{
			Name: name, SQLite: c.Storage.ValueString() != storageKeyValue, RenamedFrom: c.RenamedFrom.ValueString(),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, diags
}

// stateClasses are the classes the last apply left live (renames applied).
func (m *scriptModel) stateClasses(ctx context.Context) ([]domigrate.Class, diag.Diagnostics) {
	declared, diags := m.declaredClasses(ctx)
	out := make([]domigrate.Class, len(declared))
	for i, d := range declared {
		out[i] = domigrate.Class{Name: d.Name, SQLite: d.SQLite}
	}
	return out, diags
}

// fromSettings sets the bindings and compatibility settings from what
// Cloudflare has. Secrets and binding kinds this resource does not manage
// are left out. A map configured empty stays empty while Cloudflare has
// none, so `vars = {}` plans clean.
func (m *scriptModel) fromSettings(script string, s settings) diag.Diagnostics {
	var diags diag.Diagnostics
	vars, jsonVars, kvs := map[string]string{}, map[string]string{}, map[string]string{}
	dos := map[string]doBindingModel{}
	for _, b := range s.Bindings {
		switch b.Type {
		case "plain_text":
			vars[b.Name] = b.Text
		case "json":
			jsonVars[b.Name] = compactJSON(b.JSON)
		case "kv_namespace":
			kvs[b.Name] = b.NamespaceID
		case "durable_object_namespace":
			other := types.StringNull()
			if b.ScriptName != "" && b.ScriptName != script {
				other = types.StringValue(b.ScriptName)
			}
			dos[b.Name] = doBindingModel{ClassName: types.StringValue(b.ClassName), ScriptName: other}
		}
	}
	m.Vars = keepEmpty(m.Vars, stringMap(vars, &diags))
	m.JSONVars = keepEmpty(m.JSONVars, stringMap(jsonVars, &diags))
	m.KVNamespaces = keepEmpty(m.KVNamespaces, stringMap(kvs, &diags))
	dom := types.MapNull(doBindingType)
	if len(dos) > 0 {
		v, d := types.MapValueFrom(context.Background(), doBindingType, dos)
		diags.Append(d...)
		dom = v
	}
	m.DurableObjects = keepEmpty(m.DurableObjects, dom)
	m.CompatibilityDate = types.StringValue(s.CompatibilityDate)
	m.CompatibilityFlags = stringSet(s.CompatibilityFlags, &diags)
	return diags
}

// keepEmpty keeps a prior empty map where Cloudflare has nothing (null).
func keepEmpty(prior, read types.Map) types.Map {
	if read.IsNull() && !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
		return prior
	}
	return read
}

// fromClasses sets the Durable Object classes of an imported script.
func (m *scriptModel) fromClasses(classes []domigrate.Class) diag.Diagnostics {
	var diags diag.Diagnostics
	m.DurableObjectClasses = types.MapNull(doClassType)
	if len(classes) == 0 {
		return diags
	}
	cm := map[string]doClassModel{}
	for _, c := range classes {
		storage := storageSQLite
		if !c.SQLite {
			storage = storageKeyValue
		}
		cm[c.Name] = doClassModel{Storage: types.StringValue(storage), RenamedFrom: types.StringNull()}
	}
	v, d := types.MapValueFrom(context.Background(), doClassType, cm)
	diags.Append(d...)
	m.DurableObjectClasses = v
	return diags
}

func stringMap(m map[string]string, diags *diag.Diagnostics) types.Map {
	if len(m) == 0 {
		return types.MapNull(types.StringType)
	}
	v, d := types.MapValueFrom(context.Background(), types.StringType, m)
	diags.Append(d...)
	return v
}

func stringSet(s []string, diags *diag.Diagnostics) types.Set {
	if s == nil {
		s = []string{}
	}
	v, d := types.SetValueFrom(context.Background(), types.StringType, s)
	diags.Append(d...)
	return v
}

// compactJSON renders JSON as Terraform's jsonencode does: compact, keys
// sorted.
func compactJSON(raw json.RawMessage) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep large integers exact
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
