package domigrate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCompute(t *testing.T) {
	sqlite := func(name string) Declared { return Declared{Name: name, SQLite: true} }
	tests := []struct {
		name        string
		liveTag     string
		live        []Class
		declared    []Declared
		allowDelete bool
		wantSteps   []Step
		wantErr     string
	}{
		{
			name:      "first class of a new script is SQLite-backed",
			declared:  []Declared{sqlite("SlotGenerator")},
			wantSteps: []Step{{NewSQLiteClasses: []string{"SlotGenerator"}}},
		},
		{
			name:      "key-value storage when asked",
			declared:  []Declared{{Name: "Legacy"}, sqlite("B"), sqlite("A")},
			wantSteps: []Step{{NewSQLiteClasses: []string{"A", "B"}, NewClasses: []string{"Legacy"}}},
		},
		{
			name:     "nothing to do when live matches",
			liveTag:  "oh-1234",
			live:     []Class{{Name: "SlotGenerator", SQLite: true}},
			declared: []Declared{sqlite("SlotGenerator")},
		},
		{
			name:      "continues a script migrated by wrangler",
			liveTag:   "v2",
			live:      []Class{{Name: "SlotGenerator", SQLite: true}},
			declared:  []Declared{sqlite("SlotGenerator"), sqlite("Presence")},
			wantSteps: []Step{{NewSQLiteClasses: []string{"Presence"}}},
		},
		{
			name:      "rename keeps the objects",
			liveTag:   "v1",
			live:      []Class{{Name: "SlotGenerator", SQLite: true}},
			declared:  []Declared{{Name: "Slots", SQLite: true, RenamedFrom: "SlotGenerator"}},
			wantSteps: []Step{{RenamedClasses: []Rename{{From: "SlotGenerator", To: "Slots"}}}},
		},
		{
			name:     "an applied rename is ignored",
			liveTag:  "oh-1",
			live:     []Class{{Name: "Slots", SQLite: true}},
			declared: []Declared{{Name: "Slots", SQLite: true, RenamedFrom: "SlotGenerator"}},
		},
		{
			name:      "a rename from a class that never lived creates",
			declared:  []Declared{{Name: "Slots", SQLite: true, RenamedFrom: "SlotGenerator"}},
			wantSteps: []Step{{NewSQLiteClasses: []string{"Slots"}}},
		},
		{
			name:     "deletion refused without opt-in",
			liveTag:  "v1",
			live:     []Class{{Name: "SlotGenerator", SQLite: true}, {Name: "Old"}},
			declared: []Declared{sqlite("SlotGenerator")},
			wantErr:  "Old; deleting a class destroys all of its stored objects",
		},
		{
			name:        "deletion allowed with opt-in, before renames and creates",
			liveTag:     "v1",
			live:        []Class{{Name: "A", SQLite: true}, {Name: "Old"}},
			declared:    []Declared{{Name: "B", SQLite: true, RenamedFrom: "A"}, sqlite("C")},
			allowDelete: true,
			wantSteps: []Step{
				{DeletedClasses: []string{"Old"}},
				{RenamedClasses: []Rename{{From: "A", To: "B"}}},
				{NewSQLiteClasses: []string{"C"}},
			},
		},
		{
			name:     "storage of a live class cannot change",
			live:     []Class{{Name: "Legacy"}},
			declared: []Declared{sqlite("Legacy")},
			wantErr:  "live with key-value storage and is declared with SQLite storage",
		},
		{
			name:     "rename keeps storage",
			live:     []Class{{Name: "Legacy"}},
			declared: []Declared{{Name: "New", SQLite: true, RenamedFrom: "Legacy"}},
			wantErr:  "a rename keeps the storage",
		},
		{
			name:     "two renames from one class",
			live:     []Class{{Name: "A", SQLite: true}},
			declared: []Declared{{Name: "B", SQLite: true, RenamedFrom: "A"}, {Name: "C", SQLite: true, RenamedFrom: "A"}},
			wantErr:  "both renamed from A",
		},
		{
			name:     "a renamed class still declared",
			live:     []Class{{Name: "A", SQLite: true}},
			declared: []Declared{{Name: "B", SQLite: true, RenamedFrom: "A"}, sqlite("A")},
			wantErr:  "A is declared and is also the source of a rename to B",
		},
		{
			name:     "declared twice",
			declared: []Declared{sqlite("A"), sqlite("A")},
			wantErr:  "declared twice",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := Compute(tt.liveTag, tt.live, tt.declared, tt.allowDelete)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(plan.Steps, tt.wantSteps) {
				t.Fatalf("steps %+v, want %+v", plan.Steps, tt.wantSteps)
			}
			if plan.OldTag != tt.liveTag {
				t.Fatalf("old_tag %q, want the live tag %q", plan.OldTag, tt.liveTag)
			}
			switch {
			case plan.Empty() && plan.NewTag != tt.liveTag:
				t.Fatalf("an empty plan must keep the tag, got %q", plan.NewTag)
			case !plan.Empty() && (plan.NewTag == tt.liveTag || !strings.HasPrefix(plan.NewTag, TagPrefix)):
				t.Fatalf("new tag %q from %q", plan.NewTag, tt.liveTag)
			}
		})
	}
}

func TestDeletionRefusedErrorNamesClasses(t *testing.T) {
	_, err := Compute("v3", []Class{{Name: "B", SQLite: true}, {Name: "A", SQLite: true}}, nil, false)
	var refused *DeletionRefusedError
	if !errors.As(err, &refused) || !reflect.DeepEqual(refused.Classes, []string{"A", "B"}) {
		t.Fatalf("got %v", err)
	}
}

func TestTagsAreDeterministicAndChainUnique(t *testing.T) {
	steps := []Step{{NewSQLiteClasses: []string{"A"}}}
	if first, again := Tag("v1", steps), Tag("v1", steps); first != again {
		t.Fatal("the same transition must get the same tag")
	}
	if Tag("v1", steps) == Tag("v2", steps) || Tag("v1", steps) == Tag("v1", []Step{{NewClasses: []string{"A"}}}) {
		t.Fatal("different transitions must get different tags")
	}
	plan, _ := Compute("", nil, []Declared{{Name: "A", SQLite: true}}, false)
	if got := plan.Summary(); got != "create A (SQLite)" {
		t.Fatalf("summary %q", got)
	}
}
