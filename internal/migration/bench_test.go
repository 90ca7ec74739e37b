package migration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// benchFiles writes n small migrations (a table, an index, a row) to a
// directory and returns it with the parsed files.
func benchFiles(b *testing.B, n int) (string, []File) {
	b.Helper()
	dir := b.TempDir()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s_table_%04d.sql", base.Add(time.Duration(i)*time.Minute).Format("20060102150405"), i)
		sql := fmt.Sprintf("create table t_%04d (id bigint primary key, note text not null default '');\n"+
			"create index t_%04d_note on t_%04d (note);\ninsert into t_%04d (id) values (%d);\n", i, i, i, i, i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(sql), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	files, _, err := ReadDir(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	return dir, files
}

// BenchmarkApply1000 applies 1,000 small migrations (3 statements each) to
// a fresh database: lock, history table, then one round trip per file.
func BenchmarkApply1000(b *testing.B) {
	_, files := benchFiles(b, 1000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := newDB(b)
		b.StartTimer()
		res, err := Apply(context.Background(), db.Conn, files, ApplyOptions{})
		if err != nil || len(res.Applied) != len(files) {
			b.Fatalf("applied %d: %v", len(res.Applied), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files))/1000, "ms/migration")
}

// BenchmarkPlan1000Applied plans against 1,000 applied migrations as the
// resource does at plan time: read the directory, read the history with one
// query, compare every file with its stored statements.
func BenchmarkPlan1000Applied(b *testing.B) {
	dir, files := benchFiles(b, 1000)
	db := newDB(b)
	if _, err := Apply(context.Background(), db.Conn, files, ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		local, _, err := ReadDir(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		history, err := ReadHistory(context.Background(), db.Conn)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := Compute(local, history, Options{})
		if err != nil || len(plan.Pending) != 0 {
			b.Fatalf("pending %d: %v", len(plan.Pending), err)
		}
	}
}

// BenchmarkPsql1000OneByOne is the comparison: the same files through
// `psql --single-transaction -f` one by one, as a shell loop would, with the
// history row inserted in the same transaction.
func BenchmarkPsql1000OneByOne(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is not on PATH (apt-get install postgresql-client)")
	}
	dir, files := benchFiles(b, 1000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := newDB(b)
		if err := EnsureTable(context.Background(), db.Conn); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, f := range files {
			insert := fmt.Sprintf("INSERT INTO supabase_migrations.schema_migrations(version, name) VALUES ('%s', '%s')", f.Version, f.Name)
			out, err := exec.CommandContext(b.Context(), psql, db.URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
				"-f", filepath.Join(dir, f.Filename), "-c", insert).CombinedOutput()
			if err != nil {
				b.Fatalf("psql %s: %v\n%s", f.Filename, err, out)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files))/1000, "ms/migration")
}
