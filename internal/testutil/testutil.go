// Package testutil holds the few helpers every test package needs, each
// failing the test on an error: a check must never pass because an answer
// could not be read.
package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"testing"
	"time"
)

// Decode unmarshals data into v.
func Decode(t testing.TB, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decoding %.200s: %v", data, err)
	}
}

// ReadAll reads r to its end.
func ReadAll(t testing.TB, r io.Reader) []byte {
	t.Helper()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading an answer: %v", err)
	}
	return data
}

// RequireServices skips t unless TF_ACC is set. Tests that start
// PostgreSQL, install a tool from npm or run terraform run under
// `make test`, which sets TF_ACC=1 (as acceptance tests do); `make unit`
// runs every other test on a machine with Go alone. Call it before setting
// anything up.
func RequireServices(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("needs PostgreSQL, npm or terraform: runs with TF_ACC=1 (make test)")
	}
}

// Form builds a multipart/form-data body part by part.
type Form struct {
	t   testing.TB
	buf bytes.Buffer
	w   *multipart.Writer
}

// NewForm starts an empty form.
func NewForm(t testing.TB) *Form {
	f := &Form{t: t}
	f.w = multipart.NewWriter(&f.buf)
	return f
}

// Field adds a plain form field.
func (f *Form) Field(name, value string) {
	f.t.Helper()
	if err := f.w.WriteField(name, value); err != nil {
		f.t.Fatalf("form field %s: %v", name, err)
	}
}

// File adds a file part; an empty contentType leaves the header out.
func (f *Form) File(name, filename, contentType string, content []byte) {
	f.t.Helper()
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, filename))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	p, err := f.w.CreatePart(h)
	if err == nil {
		_, err = p.Write(content)
	}
	if err != nil {
		f.t.Fatalf("form part %s: %v", name, err)
	}
}

// Finish closes the form and returns its content type and body.
func (f *Form) Finish() (contentType string, body []byte) {
	f.t.Helper()
	if err := f.w.Close(); err != nil {
		f.t.Fatalf("closing the form: %v", err)
	}
	return f.w.FormDataContentType(), f.buf.Bytes()
}

// RequireTool installs a pinned tool (from npm, see internal/npmtool) for a
// compatibility test and returns its path; what names it in the failure.
func RequireTool(t testing.TB, what string, install func(context.Context) (string, error)) string {
	t.Helper()
	RequireServices(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bin, err := install(ctx)
	if err != nil {
		t.Fatalf("%s is needed for this compatibility test and could not be installed: %v", what, err)
	}
	return bin
}
