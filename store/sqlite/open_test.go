package sqlite_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

func TestOpenPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, path, wantFile string
	}{
		{"missing directory", filepath.Join(dir, "a", "b"), filepath.Join(dir, "a", "b", sqlite.FileName)},
		{"existing directory", dir, filepath.Join(dir, sqlite.FileName)},
		{"file with extension", filepath.Join(dir, "c", "x.db"), filepath.Join(dir, "c", "x.db")},
		{"sqlite3 extension", filepath.Join(dir, "y.sqlite3"), filepath.Join(dir, "y.sqlite3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, tt.path)
			defer s.Close()
			if s.Path() != tt.wantFile {
				t.Fatalf("Path() = %s, want %s", s.Path(), tt.wantFile)
			}
			if _, err := os.Stat(tt.wantFile); err != nil {
				t.Fatalf("database file: %v", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("not a database, just text that is long enough to have a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"empty", "", "empty path"},
		{"question mark", filepath.Join(dir, "a?b"), "contains '?'"},
		{"under a file", filepath.Join(regular, "sub"), "not a directory"},
		{"under a file, new", filepath.Join(regular, "sub", "x.db"), "not a directory"},
		{"not a database", regular, "not a database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := sqlite.Open(t.Context(), tt.path, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%q) error = %v, want it to mention %q", tt.path, err, tt.want)
			}
		})
	}
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	openStore(t, dir).Close()
	s := openStore(t, dir) // reopening applies nothing twice
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, max int
	if err := db.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != max || n < 1 {
		t.Fatalf("schema_migrations has %d rows, max version %d", n, max)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_ns) VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(t.Context(), dir, nil); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}
