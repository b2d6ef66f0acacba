package sqlitefile

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// A directory name holding the URI's delimiters still names a file, and the file is really there.
func TestOpenOddPathWriterAndReaders(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "we?ird #dir 100%", "x.db")
	w, r, err := Open(ctx, path, Options{ForeignKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	if _, err := w.ExecContext(ctx, `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id)); INSERT INTO p VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := r.QueryRowContext(ctx, `SELECT count(*) FROM p`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("reader sees %d rows, %v", n, err)
	}
	if _, err := r.ExecContext(ctx, `INSERT INTO p VALUES (2)`); err == nil {
		t.Error("a reader wrote")
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO c VALUES (9)`); err == nil {
		t.Error("ForeignKeys: a dangling reference was accepted")
	}
	var mode string
	if err := r.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	if w.Stats().MaxOpenConnections != 1 || r.Stats().MaxOpenConnections < 4 {
		t.Errorf("pools: writer %d, readers %d", w.Stats().MaxOpenConnections, r.Stats().MaxOpenConnections)
	}
	// The same file under a plain read-only DSN.
	ro, r2, err := Open(ctx, path, Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	defer r2.Close()
	if _, err := ro.ExecContext(ctx, `INSERT INTO c VALUES (9)`); err != nil {
		t.Errorf("without ForeignKeys the reference is not checked: %v", err)
	}
}

func TestOpenRefusesNonFiles(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if _, _, err := Open(context.Background(), p, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestDSN(t *testing.T) {
	got := DSN("/a b/c?d#e%f.db", url.Values{"mode": {"ro"}})
	if got != "file:/a b/c%3fd%23e%25f.db?mode=ro" {
		t.Errorf("DSN = %q", got)
	}
	if got := DSN("rel/x.db", nil); got != "file:rel/x.db" || strings.Contains(got, "?") {
		t.Errorf("DSN without parameters = %q", got)
	}
}
