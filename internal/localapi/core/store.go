package core

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Store keeps the state of every API area in one JSON document. Each area
// registers its own section; writes are persisted atomically (temporary file
// and rename), so stopping the server at any moment loses nothing.
type Store struct {
	mu       sync.Mutex
	path     string
	raw      map[string]json.RawMessage
	sections map[string]any
	watchers []func()
}

// NewStore loads path when it exists; an empty path keeps state in memory.
func NewStore(path string) (*Store, error) {
	s := &Store{path: path, raw: map[string]json.RawMessage{}, sections: map[string]any{}}
	if path == "" {
		return s, nil
	}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state file %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &s.raw); err != nil {
		return nil, fmt.Errorf("state file %s is not valid JSON: %w", path, err)
	}
	return s, nil
}

// Register binds a section to a pointer the area owns, filling it from the
// loaded file when the section was saved before.
func (s *Store) Register(name string, section any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if raw, ok := s.raw[name]; ok {
		if err := json.Unmarshal(raw, section); err != nil {
			return fmt.Errorf("state section %q: %w", name, err)
		}
	}
	s.sections[name] = section
	return nil
}

// Section returns the pointer registered under name, so that one area can
// read another's state (bindings check that their targets exist).
func (s *Store) Section(name string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sections[name]
}

// Read runs fn with the state locked.
func (s *Store) Read(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// Write runs fn with the state locked and persists the result when fn
// succeeds, then tells the watchers. An *Error from fn is returned untouched.
func (s *Store) Write(fn func() *Error) *Error {
	s.mu.Lock()
	if apiErr := fn(); apiErr != nil {
		s.mu.Unlock()
		return apiErr
	}
	err := s.persist()
	watchers := s.watchers
	s.mu.Unlock()
	if err != nil {
		return Errorf(500, 10002, "persisting state: %v", err)
	}
	for _, w := range watchers {
		w()
	}
	return nil
}

// Watch calls fn after every successful write, outside the lock: the local
// runtime learns so that something was deployed. fn must not block.
func (s *Store) Watch(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, fn)
}

func (s *Store) persist() error {
	if s.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(s.sections, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".state-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}
