package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// devEnv is the development environment applied to a local stack, shared
// by the tests of this package.
type devEnv struct {
	s         *bench.Stack
	env       []string
	root, dir string
	secrets   []string // every secret value the environment uses
}

var (
	devOnce sync.Once
	dev     *devEnv
	devErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if dev != nil {
		dev.s.Close()
	}
	os.Exit(code)
}

// development applies the development environment once for the package.
func development(t *testing.T) *devEnv {
	t.Helper()
	testutil.RequireServices(t)
	devOnce.Do(func() { dev, devErr = applyDevelopment(context.Background()) })
	if devErr != nil {
		t.Fatal(devErr)
	}
	return dev
}

func applyDevelopment(ctx context.Context) (*devEnv, error) {
	s, err := bench.NewStack(ctx, bench.StackOptions{Repo: "../..", Database: true})
	if err != nil {
		return nil, err
	}
	d := &devEnv{s: s}
	api, err := s.NewAPI()
	if err != nil {
		return d, err
	}
	db, url, err := s.NewDatabase(ctx, "review")
	if err != nil {
		return d, err
	}
	storage, err := s.NewStorage(ctx, db)
	if err != nil {
		return d, err
	}
	const anonKey = "review-test-anon-key-not-for-any-plan"
	d.env = s.Env(api, url, append(storage, "TF_VAR_supabase_url="+strings.TrimPrefix(storage[0], "SUPABASE_URL="),
		"TF_VAR_supabase_anon_key="+anonKey)...)
	d.root = filepath.Join(s.Root, "repo")
	for _, dir := range []string{"examples", "modules"} {
		if err := bench.CopyTree(filepath.Join("../..", dir), filepath.Join(d.root, dir)); err != nil {
			return d, err
		}
	}
	d.dir = filepath.Join(d.root, "examples", "environments", "development")
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"apply", "-input=false", "-auto-approve", "-no-color"}} {
		if _, err := s.Run(ctx, "review-"+args[0], s.TF(d.dir, d.env, args...)); err != nil {
			return d, err
		}
	}
	// The secrets: the Worker's placeholders (examples/environments/
	// development/main.tf), the anon key, the service_role key, the API
	// token and the database password.
	for _, name := range []string{"SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_JWT_SECRET", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_SECRET", "AIRTABLE_API_KEY", "JWT_SECRET", "WEBHOOK_SECRET"} {
		d.secrets = append(d.secrets, "development-placeholder-"+strings.ToLower(name)+"-not-a-secret")
	}
	password := strings.SplitN(strings.SplitN(strings.TrimPrefix(url, "postgresql://"), "@", 2)[0], ":", 2)
	d.secrets = append(d.secrets, anonKey, strings.TrimPrefix(storage[1], "SUPABASE_SERVICE_ROLE_KEY="), s.Token, password[len(password)-1])
	return d, nil
}
