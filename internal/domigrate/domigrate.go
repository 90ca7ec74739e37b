// Package domigrate computes Durable Object migrations from what is live to
// what is declared, so that nobody keeps migration tags by hand.
//
// The input is the script's live migration tag and live classes (as the API
// reports them, whoever applied them: this provider or wrangler with its
// `v1`, `v2` tags) and the classes the configuration declares. The output is
// the steps that turn one into the other, with old_tag set to the live tag
// and a new tag derived from the transition itself.
package domigrate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Class is a live Durable Object class.
type Class struct {
	Name   string
	SQLite bool
}

// Declared is a class the configuration says the script exports.
type Declared struct {
	Name string
	// SQLite selects SQLite-backed storage, the default for new classes.
	SQLite bool
	// RenamedFrom names a live class whose objects this class takes over.
	// It is ignored once the rename is applied or when no such class lives.
	RenamedFrom string
}

// Rename moves a class and its stored objects to a new name.
type Rename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Step is one migration step in the API's shape.
type Step struct {
	NewClasses       []string `json:"new_classes,omitempty"`
	NewSQLiteClasses []string `json:"new_sqlite_classes,omitempty"`
	RenamedClasses   []Rename `json:"renamed_classes,omitempty"`
	DeletedClasses   []string `json:"deleted_classes,omitempty"`
}

// Plan is the migration to send with an upload. An empty plan sends none.
type Plan struct {
	OldTag string `json:"old_tag,omitempty"`
	NewTag string `json:"new_tag"`
	Steps  []Step `json:"steps"`
}

// Empty reports whether nothing needs to migrate.
func (p Plan) Empty() bool { return len(p.Steps) == 0 }

// Summary describes the plan for humans, e.g. in a plan warning.
func (p Plan) Summary() string {
	var parts []string
	for _, s := range p.Steps {
		for _, r := range s.RenamedClasses {
			parts = append(parts, fmt.Sprintf("rename %s to %s", r.From, r.To))
		}
		for _, c := range s.NewSQLiteClasses {
			parts = append(parts, "create "+c+" (SQLite)")
		}
		for _, c := range s.NewClasses {
			parts = append(parts, "create "+c+" (key-value)")
		}
		for _, c := range s.DeletedClasses {
			parts = append(parts, "delete "+c)
		}
	}
	return strings.Join(parts, ", ")
}

// DeletionRefusedError is returned when the declared classes leave out live
// ones and deletion was not allowed: deleting a class destroys its objects.
type DeletionRefusedError struct{ Classes []string }

func (e *DeletionRefusedError) Error() string {
	return fmt.Sprintf("the configuration no longer declares the live Durable Object class(es) %s; deleting a class destroys all of its stored objects, so it needs an explicit opt-in",
		strings.Join(e.Classes, ", "))
}

// Compute returns the migration from the live tag and classes to the
// declared classes. Deletions are refused unless allowDelete is set.
func Compute(liveTag string, live []Class, declared []Declared, allowDelete bool) (Plan, error) {
	liveByName := map[string]Class{}
	for _, c := range live {
		liveByName[c.Name] = c
	}
	seen := map[string]bool{}
	renamedFrom := map[string]string{} // from -> to
	var renames []Rename
	var created, createdKV []string
	for _, d := range declared {
		if d.Name == "" {
			return Plan{}, fmt.Errorf("a declared Durable Object class has an empty name")
		}
		if seen[d.Name] {
			return Plan{}, fmt.Errorf("Durable Object class %s is declared twice", d.Name)
		}
		seen[d.Name] = true
		if l, ok := liveByName[d.Name]; ok {
			if l.SQLite != d.SQLite {
				return Plan{}, fmt.Errorf("Durable Object class %s is live with %s storage and is declared with %s storage; the storage of an existing class cannot change",
					d.Name, storage(l.SQLite), storage(d.SQLite))
			}
			continue
		}
		if from, ok := liveByName[d.RenamedFrom]; ok && d.RenamedFrom != "" {
			if other, dup := renamedFrom[d.RenamedFrom]; dup {
				return Plan{}, fmt.Errorf("Durable Object classes %s and %s are both renamed from %s", other, d.Name, d.RenamedFrom)
			}
			if from.SQLite != d.SQLite {
				return Plan{}, fmt.Errorf("Durable Object class %s is renamed from %s, which has %s storage, but is declared with %s storage; a rename keeps the storage",
					d.Name, d.RenamedFrom, storage(from.SQLite), storage(d.SQLite))
			}
			renamedFrom[d.RenamedFrom] = d.Name
			renames = append(renames, Rename{From: d.RenamedFrom, To: d.Name})
			continue
		}
		if d.SQLite {
			created = append(created, d.Name)
		} else {
			createdKV = append(createdKV, d.Name)
		}
	}
	var deleted []string
	for _, l := range live {
		if _, renamed := renamedFrom[l.Name]; renamed || seen[l.Name] {
			continue
		}
		deleted = append(deleted, l.Name)
	}
	// A class renamed away but still declared would be both kept and moved.
	for from := range renamedFrom {
		if seen[from] {
			return Plan{}, fmt.Errorf("Durable Object class %s is declared and is also the source of a rename to %s", from, renamedFrom[from])
		}
	}
	sort.Strings(deleted)
	if len(deleted) > 0 && !allowDelete {
		return Plan{}, &DeletionRefusedError{Classes: deleted}
	}

	// Deletions first, so a rename may take a deleted class's name.
	var steps []Step
	if len(deleted) > 0 {
		steps = append(steps, Step{DeletedClasses: deleted})
	}
	if len(renames) > 0 {
		slices.SortFunc(renames, func(a, b Rename) int { return strings.Compare(a.From, b.From) })
		steps = append(steps, Step{RenamedClasses: renames})
	}
	if len(created)+len(createdKV) > 0 {
		sort.Strings(created)
		sort.Strings(createdKV)
		steps = append(steps, Step{NewSQLiteClasses: created, NewClasses: createdKV})
	}
	if len(steps) == 0 {
		return Plan{OldTag: liveTag, NewTag: liveTag}, nil
	}
	return Plan{OldTag: liveTag, NewTag: Tag(liveTag, steps), Steps: steps}, nil
}

// TagPrefix starts every tag this package generates.
const TagPrefix = "oh-"

// Tag names a transition: a hash of the old tag and the steps. The same
// migration from the same tag always gets the same name, so a retried apply
// sends the same request, and no two transitions of a script share one.
func Tag(oldTag string, steps []Step) string {
	data, _ := json.Marshal(struct {
		Old   string `json:"old"`
		Steps []Step `json:"steps"`
	}{oldTag, steps})
	sum := sha256.Sum256(data)
	return TagPrefix + hex.EncodeToString(sum[:5])
}

func storage(sqlite bool) string {
	if sqlite {
		return "SQLite"
	}
	return "key-value"
}
