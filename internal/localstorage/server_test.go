package localstorage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

const (
	alice = "00000000-0000-4000-8000-00000000000a"
	bob   = "00000000-0000-4000-8000-00000000000b"
)

// answer is one response: the HTTP status and Storage's fields.
type answer struct {
	HTTP       int
	StatusCode string `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
	Body       []byte
}

func call(t *testing.T, s *acctest.Storage, token, method, path string, body any) answer {
	t.Helper()
	var reader io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		reader, contentType = bytes.NewReader(b), "text/plain"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+localstorage.Prefix+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{HTTP: resp.StatusCode, Body: testutil.ReadAll(t, resp.Body)}
	if resp.StatusCode >= 300 {
		testutil.Decode(t, a.Body, &a)
	}
	return a
}

// fails checks Storage's error shape: HTTP 400 for every client error, the
// error's own status in statusCode (src/http/error-handler.ts).
func fails(t *testing.T, a answer, statusCode, message string) {
	t.Helper()
	if a.HTTP != http.StatusBadRequest || a.StatusCode != statusCode || !strings.Contains(a.Message, message) {
		t.Fatalf("got HTTP %d %s, want HTTP 400 with statusCode %s and %q", a.HTTP, a.Body, statusCode, message)
	}
}

func TestBuckets(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Hour) // empties run at Flush
	key := s.ServiceKey

	if a := call(t, s, key, "POST", "/bucket", map[string]any{"name": "avatars", "public": true, "file_size_limit": "2MB",
		"allowed_mime_types": []string{"image/png", "image/*"}}); a.HTTP != 200 || string(a.Body) != "{\"name\":\"avatars\"}\n" {
		t.Fatalf("create: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, key, "POST", "/bucket", map[string]any{"name": "avatars"}), "409", "The resource already exists")
	fails(t, call(t, s, key, "POST", "/bucket", map[string]any{"name": " spaced"}), "400", "Bucket name invalid")
	fails(t, call(t, s, key, "POST", "/bucket", map[string]any{"name": "x", "allowed_mime_types": []string{"not a type"}}), "415", "mime type not a type is not supported")
	fails(t, call(t, s, key, "POST", "/bucket", map[string]any{"name": "x", "file_size_limit": "1TB"}), "400", "Invalid file size format")
	fails(t, call(t, s, key, "POST", "/bucket", map[string]any{"name": "x", "file_size_limit": 60 << 20}), "413", "exceeded")

	var b map[string]any
	a := call(t, s, key, "GET", "/bucket/avatars", nil)
	testutil.Decode(t, a.Body, &b)
	if b["public"] != true || b["file_size_limit"] != float64(2000000) || len(b["allowed_mime_types"].([]any)) != 2 || b["owner"] != nil {
		t.Fatalf("get: %s", a.Body)
	}
	if _, typed := b["type"]; typed {
		t.Fatalf("GET /bucket/{id} answers no type (getBucket.ts): %s", a.Body)
	}
	fails(t, call(t, s, key, "GET", "/bucket/missing", nil), "404", "Bucket not found")

	if a := call(t, s, key, "PUT", "/bucket/avatars", map[string]any{"public": false, "file_size_limit": nil, "allowed_mime_types": nil}); a.HTTP != 200 {
		t.Fatalf("update: %d %s", a.HTTP, a.Body)
	}
	testutil.Decode(t, call(t, s, key, "GET", "/bucket/avatars", nil).Body, &b)
	if b["public"] != false || b["file_size_limit"] != nil || b["allowed_mime_types"] != nil {
		t.Fatalf("after update: %v", b)
	}
	fails(t, call(t, s, key, "PUT", "/bucket/missing", map[string]any{"public": true}), "404", "Bucket not found")
	fails(t, call(t, s, key, "PUT", "/bucket/avatars", map[string]any{}), "400", "must have required property")

	var list []map[string]any
	testutil.Decode(t, call(t, s, key, "GET", "/bucket", nil).Body, &list)
	if len(list) != 1 || list[0]["type"] != "STANDARD" {
		t.Fatalf("list: %v", list)
	}

	// The anon key is held to the policies on storage.buckets: none.
	fails(t, call(t, s, s.AnonKey, "POST", "/bucket", map[string]any{"name": "anon"}), "403", "row-level security")
	testutil.Decode(t, call(t, s, s.AnonKey, "GET", "/bucket", nil).Body, &list)
	if len(list) != 0 {
		t.Fatalf("anon sees %v", list)
	}
	// A token signed with another secret, or none.
	other := s.Token(t, "", "service_role")
	fails(t, call(t, s, other[:len(other)-2]+"xx", "GET", "/bucket", nil), "403", "signature verification failed")
	fails(t, call(t, s, "", "GET", "/bucket", nil), "403", "Invalid Compact JWS")

	// A bucket with objects is not deleted; empty is queued, then it is.
	if a := call(t, s, key, "POST", "/object/avatars/a.txt", []byte("hi")); a.HTTP != 200 {
		t.Fatalf("upload: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, key, "DELETE", "/bucket/avatars", nil), "409", "The bucket you tried to delete is not empty")
	if a := call(t, s, key, "POST", "/bucket/avatars/empty", nil); a.HTTP != 200 || !strings.Contains(string(a.Body), "queued") {
		t.Fatalf("empty: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, key, "DELETE", "/bucket/avatars", nil), "409", "not empty") // still queued
	s.Flush()
	if a := call(t, s, key, "DELETE", "/bucket/avatars", nil); a.HTTP != 200 {
		t.Fatalf("delete after empty: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, key, "DELETE", "/bucket/avatars", nil), "404", "Bucket not found")
}

// Object requests run as their JWT's role with its claims, so the policies
// on storage.objects decide: the CF Office Hours avatars policy lets a user
// write only under their own folder.
func TestObjectsFollowThePolicies(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Hour) // empties run at Flush
	db.Exec(t, `
CREATE POLICY "Avatars are public" ON storage.objects FOR SELECT TO public USING (bucket_id = 'avatars');
CREATE POLICY "Users upload their own avatar" ON storage.objects FOR INSERT TO authenticated
  WITH CHECK (bucket_id = 'avatars' AND (storage.foldername(name))[1] = auth.uid()::text);
CREATE POLICY "Users delete their own avatar" ON storage.objects FOR DELETE TO authenticated
  USING (bucket_id = 'avatars' AND (storage.foldername(name))[1] = auth.uid()::text);`)
	if a := call(t, s, s.ServiceKey, "POST", "/bucket", map[string]any{"name": "avatars", "public": true}); a.HTTP != 200 {
		t.Fatalf("create: %d %s", a.HTTP, a.Body)
	}
	aliceToken, bobToken := s.Token(t, alice, "authenticated"), s.Token(t, bob, "authenticated")

	if a := call(t, s, aliceToken, "POST", "/object/avatars/"+alice+"/me.png", []byte("png")); a.HTTP != 200 || !strings.Contains(string(a.Body), `"Key":"avatars/`+alice+`/me.png"`) {
		t.Fatalf("own folder: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, aliceToken, "POST", "/object/avatars/"+bob+"/me.png", []byte("png")), "403", "new row violates row-level security policy")
	fails(t, call(t, s, aliceToken, "POST", "/object/avatars/"+alice+"/me.png", []byte("again")), "409", "The resource already exists")
	fails(t, call(t, s, aliceToken, "POST", "/object/missing/"+alice+"/me.png", []byte("png")), "404", "Bucket not found")

	// The owner is the user; the row as Storage writes it.
	var owner, mimetype string
	err := pgx.BeginFunc(context.Background(), db.Pool, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), "SELECT owner_id, metadata->>'mimetype' FROM storage.objects WHERE name = $1", alice+"/me.png").Scan(&owner, &mimetype)
	})
	if err != nil || owner != alice || mimetype != "text/plain" {
		t.Fatalf("row: owner %q mimetype %q (%v)", owner, mimetype, err)
	}

	// Reading: public to anyone through the public route, listed per folder.
	req, err := http.NewRequestWithContext(t.Context(), "GET", s.URL+localstorage.Prefix+"/object/public/avatars/"+alice+"/me.png", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req) // no token: the bucket is public
	if err != nil {
		t.Fatal(err)
	}
	got := testutil.ReadAll(t, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != "png" {
		t.Fatalf("public download: %d %s", resp.StatusCode, got)
	}
	var listed []map[string]any
	testutil.Decode(t, call(t, s, bobToken, "POST", "/object/list/avatars", map[string]any{"prefix": ""}).Body, &listed)
	if len(listed) != 1 || listed[0]["name"] != alice || listed[0]["id"] != nil {
		t.Fatalf("top level: %v", listed)
	}
	testutil.Decode(t, call(t, s, bobToken, "POST", "/object/list/avatars", map[string]any{"prefix": alice}).Body, &listed)
	if len(listed) != 1 || listed[0]["name"] != "me.png" || listed[0]["id"] == nil {
		t.Fatalf("alice's folder: %v", listed)
	}

	// Deleting: only one's own.
	fails(t, call(t, s, bobToken, "DELETE", "/object/avatars/"+alice+"/me.png", nil), "403", "Access denied")
	if a := call(t, s, aliceToken, "DELETE", "/object/avatars/"+alice+"/me.png", nil); a.HTTP != 200 {
		t.Fatalf("own delete: %d %s", a.HTTP, a.Body)
	}
	fails(t, call(t, s, aliceToken, "GET", "/object/authenticated/avatars/"+alice+"/me.png", nil), "404", "Object not found")
}

// An empty removes the objects there were when it was queued, not those
// uploaded while it waits.
func TestEmptyKeepsLaterObjects(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Hour)
	key := s.ServiceKey
	call(t, s, key, "POST", "/bucket", map[string]any{"name": "b"})
	call(t, s, key, "POST", "/object/b/old.txt", []byte("1"))
	call(t, s, key, "POST", "/bucket/b/empty", nil)
	// A row created after the empty was queued (created_at is set by the
	// server; this one is set ahead of it, as a later upload's would be).
	call(t, s, key, "POST", "/object/b/new.txt", []byte("2"))
	db.Exec(t, "UPDATE storage.objects SET created_at = now() + interval '1 minute' WHERE name = 'new.txt'")
	s.Flush()
	var listed []map[string]any
	testutil.Decode(t, call(t, s, key, "POST", "/object/list/b", map[string]any{"prefix": ""}).Body, &listed)
	if len(listed) != 1 || listed[0]["name"] != "new.txt" {
		t.Fatalf("after the empty: %v", listed)
	}
}
