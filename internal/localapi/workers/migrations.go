package workers

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Rename moves a class and its objects to a new name.
type Rename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Step is one Durable Object migration step.
type Step struct {
	NewClasses         []string `json:"new_classes,omitempty"`
	NewSQLiteClasses   []string `json:"new_sqlite_classes,omitempty"`
	RenamedClasses     []Rename `json:"renamed_classes,omitempty"`
	DeletedClasses     []string `json:"deleted_classes,omitempty"`
	TransferredClasses []any    `json:"transferred_classes,omitempty"`
}

func (s Step) empty() bool {
	return len(s.NewClasses)+len(s.NewSQLiteClasses)+len(s.RenamedClasses)+len(s.DeletedClasses)+len(s.TransferredClasses) == 0
}

// Migrations is the `migrations` field of upload metadata: one step given
// inline, or a list of steps.
type Migrations struct {
	OldTag string `json:"old_tag,omitempty"`
	NewTag string `json:"new_tag,omitempty"`
	Step
	Steps []Step `json:"steps,omitempty"`
}

// errTagMismatch is a migration whose old_tag is not the live tag: code
// 10079 (DIST migrationTagMismatch.manual.json) with HTTP 412 (alchemy's
// worker.ts checks error.status === 412).
func errTagMismatch(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusPreconditionFailed, 10079, format, args...)
}

func migrationError(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, 10074, format, args...)
}

// applyMigrations checks m against the live tag and classes and returns the
// classes and tag after it. modules are the uploaded code: a class that is
// created or renamed to must be exported by it.
func applyMigrations(m *Migrations, live []Class, liveTag string, modules []Module) ([]Class, string, *core.Error) {
	if m.OldTag != liveTag {
		if liveTag == "" {
			return nil, "", errTagMismatch("Migration tag precondition failed; the script has no migration tag but old_tag is %q", m.OldTag)
		}
		return nil, "", errTagMismatch("Migration tag precondition failed; current tag is %s", liveTag)
	}
	if m.NewTag != "" && m.NewTag == liveTag {
		return nil, "", errTagMismatch("Migration tag precondition failed; new_tag %q is already the current tag", m.NewTag)
	}
	steps := m.Steps
	if !m.empty() {
		if len(steps) > 0 {
			return nil, "", core.Errorf(http.StatusBadRequest, 10021, "migrations may give steps or inline classes, not both")
		}
		steps = []Step{m.Step}
	}
	classes := slices.Clone(live)
	targets := map[string]bool{}
	target := func(name string) *core.Error {
		if targets[name] {
			return migrationError("class '%s' cannot be the target of more than one migration", name)
		}
		targets[name] = true
		return nil
	}
	find := func(name string) int { return slices.IndexFunc(classes, func(c Class) bool { return c.Name == name }) }
	for _, st := range steps {
		if len(st.TransferredClasses) > 0 {
			return nil, "", core.Errorf(http.StatusBadRequest, 10021, "transferred_classes migrations are not supported by the local API")
		}
		create := func(name string, sqlite bool) *core.Error {
			if err := target(name); err != nil {
				return err
			}
			if find(name) >= 0 {
				return migrationError("Cannot apply --new-class migration to class '%s' that is already depended on by existing Durable Objects", name)
			}
			if !exportsClass(modules, name) {
				return core.Errorf(http.StatusBadRequest, 10070, "Cannot apply new-class migration to class '%s' that is not exported by script", name)
			}
			classes = append(classes, Class{Name: name, NamespaceID: core.NewID(), SQLite: sqlite})
			return nil
		}
		for _, n := range st.NewClasses {
			if err := create(n, false); err != nil {
				return nil, "", err
			}
		}
		for _, n := range st.NewSQLiteClasses {
			if err := create(n, true); err != nil {
				return nil, "", err
			}
		}
		for _, rn := range st.RenamedClasses {
			if err := target(rn.To); err != nil {
				return nil, "", err
			}
			i := find(rn.From)
			if i < 0 {
				return nil, "", migrationError("Cannot apply --rename-class migration from class '%s' which does not exist", rn.From)
			}
			if find(rn.To) >= 0 {
				return nil, "", migrationError("Cannot apply --rename-class migration to class '%s' which already exists", rn.To)
			}
			if !exportsClass(modules, rn.To) {
				return nil, "", core.Errorf(http.StatusBadRequest, 10070, "Cannot apply rename-class migration to class '%s' that is not exported by script", rn.To)
			}
			classes[i].Name = rn.To // the namespace, and so the objects, stay
		}
		for _, n := range st.DeletedClasses {
			i := find(n)
			if i < 0 {
				return nil, "", migrationError("Cannot apply --delete-class migration to class '%s' which does not exist", n)
			}
			classes = slices.Delete(classes, i, i+1)
		}
	}
	if m.NewTag == "" {
		return classes, liveTag, nil
	}
	return classes, m.NewTag, nil
}

var exportList = regexp.MustCompile(`export\s*\{([^}]*)\}`)

// exportsClass is a lenient check that some JavaScript module exports name,
// standing in for the runtime's check of the module's exports.
func exportsClass(modules []Module, name string) bool {
	direct := regexp.MustCompile(`export\s+(default\s+)?class\s+` + regexp.QuoteMeta(name) + `\b`)
	ident := regexp.MustCompile(`(^|[\s,])` + regexp.QuoteMeta(name) + `\s*$`)
	for _, m := range modules {
		if !strings.Contains(m.ContentType, "javascript") {
			continue
		}
		src := string(m.Content)
		if direct.MatchString(src) || regexp.MustCompile(`export\s*\*`).MatchString(src) {
			return true
		}
		for _, list := range exportList.FindAllStringSubmatch(src, -1) {
			for _, item := range strings.Split(list[1], ",") {
				// "Local as Name" exports Name.
				if _, alias, ok := strings.Cut(item, " as "); ok {
					item = alias
				}
				if ident.MatchString(strings.TrimSpace(item)) {
					return true
				}
			}
		}
	}
	return false
}
