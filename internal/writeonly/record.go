// Package writeonly decides whether a write-only value (a secret the
// provider writes but never stores) changed since Terraform last wrote it.
// Each written value is remembered in the resource's private state as a
// salted PBKDF2 fingerprint; the rule is the same for every resource:
//
//   - a value whose fingerprint matches is unchanged;
//   - a value whose fingerprint does not match is changed, and so is every
//     value of a record that cannot be read (a malformed record matches
//     nothing, so the values are written again rather than silently kept);
//   - a value with no fingerprint at all was adopted (imported, never
//     written by Terraform): it is kept as it is, since its live value
//     cannot be read back to compare.
package writeonly

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// recordVersion marks the record format; a record without it is unreadable.
const recordVersion = 1

// Decision is what Decide found.
type Decision int

// The decisions: the value is the one written; it changed (or the record
// cannot tell); there is no fingerprint (adopted by import).
const (
	Unchanged Decision = iota
	Changed
	Adopted
)

// Record is the fingerprints a resource keeps under one private-state key.
type Record struct {
	key        string
	prints     map[string]string
	unreadable bool
}

type stored struct {
	Version      int               `json:"v"`
	Fingerprints map[string]string `json:"fingerprints"`
}

// PrivateGetter is the read side of private state (requests' Private).
type PrivateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// PrivateSetter is the write side (responses' Private).
type PrivateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// New is an empty record for key.
func New(key string) *Record { return &Record{key: key, prints: map[string]string{}} }

// Load reads the record kept under key; none yet is an empty record.
func Load(ctx context.Context, p PrivateGetter, key string) (*Record, diag.Diagnostics) {
	r := New(key)
	data, diags := p.GetKey(ctx, key)
	if diags.HasError() || len(data) == 0 {
		return r, diags
	}
	var s stored
	if err := json.Unmarshal(data, &s); err != nil || s.Version != recordVersion {
		r.unreadable = true
		return r, diags
	}
	for name, fp := range s.Fingerprints {
		r.prints[name] = fp
	}
	return r, diags
}

// Decide says whether value, under name, changed since it was written.
func (r *Record) Decide(name, value string) Decision {
	if r.unreadable {
		return Changed
	}
	fp, ok := r.prints[name]
	switch {
	case !ok:
		return Adopted
	case Matches(value, fp):
		return Unchanged
	}
	return Changed
}

// Known reports whether name has a readable fingerprint (it was written by
// Terraform), without the cost of comparing a value.
func (r *Record) Known(name string) bool {
	_, ok := r.prints[name]
	return ok && !r.unreadable
}

// Written fingerprints value as just written under name.
func (r *Record) Written(name, value string) error {
	fp, err := Fingerprint(value)
	if err != nil {
		return err
	}
	if r.unreadable {
		r.prints, r.unreadable = map[string]string{}, false
	}
	r.prints[name] = fp
	return nil
}

// Forget drops the fingerprints of names keep refuses (values no longer configured).
func (r *Record) Forget(keep func(name string) bool) {
	for name := range r.prints {
		if !keep(name) {
			delete(r.prints, name)
		}
	}
}

// Save writes the record back to private state.
func (r *Record) Save(ctx context.Context, p PrivateSetter) diag.Diagnostics {
	data, err := json.Marshal(stored{Version: recordVersion, Fingerprints: r.prints})
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot record secret fingerprints", err.Error())
		return diags
	}
	return p.SetKey(ctx, r.key, data)
}
