package localstorage

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
)

// contentStore keeps objects' bytes (Storage's file backend): in a
// directory, one file per bucket and object, named by a hash of the two so
// that no object name ("../x") can reach outside it; or in memory.
type contentStore struct {
	dir string
	mu  sync.Mutex
	mem map[string][]byte
}

func newContentStore(dir string) *contentStore {
	return &contentStore{dir: dir, mem: map[string][]byte{}}
}

func (c *contentStore) path(bucket, name string) string {
	sum := sha256.Sum256([]byte(bucket + "\x00" + name))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:]))
}

func (c *contentStore) put(bucket, name string, data []byte) error {
	if c.dir == "" {
		c.mu.Lock()
		c.mem[bucket+"/"+name] = data
		c.mu.Unlock()
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(c.path(bucket, name), data, 0o644)
}

func (c *contentStore) get(bucket, name string) ([]byte, bool) {
	if c.dir == "" {
		c.mu.Lock()
		defer c.mu.Unlock()
		data, ok := c.mem[bucket+"/"+name]
		return data, ok
	}
	data, err := os.ReadFile(c.path(bucket, name))
	return data, err == nil
}

func (c *contentStore) delete(bucket, name string) {
	if c.dir == "" {
		c.mu.Lock()
		delete(c.mem, bucket+"/"+name)
		c.mu.Unlock()
		return
	}
	_ = os.Remove(c.path(bucket, name)) // gone already is fine
}
