package sqlitefile

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

type person struct {
	ID   int64
	Name string
	Note sql.NullString
}

func scanPerson(r Row) (person, error) {
	var p person
	err := r.Scan(&p.ID, &p.Name, &p.Note)
	return p, err
}

const qPeople = `SELECT id, name, note FROM people WHERE team = ? ORDER BY id`

func openPeople(t *testing.T, readers int) (path string, w *sql.DB, s *Snapshots) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "people.db")
	w, r, err := Open(ctx, path, Options{Readers: readers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	if _, err := w.ExecContext(ctx, `CREATE TABLE people (id INTEGER PRIMARY KEY, team TEXT, name TEXT, note TEXT);
		INSERT INTO people VALUES (1, 'a', 'Ann', NULL), (2, 'a', 'Bob', 'x'), (3, 'b', 'Cy', NULL)`); err != nil {
		t.Fatal(err)
	}
	s, err = NewSnapshots(ctx, r, path, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return path, w, s
}

func names(t *testing.T, s *Snapshots, team string) []string {
	t.Helper()
	ps, err := Query(context.Background(), s, qPeople, []any{team}, scanPerson)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Every commit is seen by the very next read, whoever made it: our writer, or another process's
// connection on the same file (here a pool opened apart, as the legacy server's would be).
func TestSnapshotsNeverServeWhatACommitChanged(t *testing.T) {
	ctx := context.Background()
	path, w, s := openPeople(t, 2)
	other, _, err := Open(ctx, path, Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	want := []string{"Ann", "Bob"}
	for i := 0; i < 4; i++ { // every reader connection has read and kept it
		if got := names(t, s, "a"); !equal(got, want) {
			t.Fatalf("read %d: %v, want %v", i, got, want)
		}
	}
	for _, step := range []struct {
		db   *sql.DB
		stmt string
		want []string
	}{
		{w, `UPDATE people SET name = 'Anne' WHERE id = 1`, []string{"Anne", "Bob"}},
		{other, `DELETE FROM people WHERE id = 2`, []string{"Anne"}},
		{other, `INSERT INTO people VALUES (4, 'a', 'Dee', NULL)`, []string{"Anne", "Dee"}},
		{w, `UPDATE people SET team = 'b' WHERE team = 'a'`, []string{}},
	} {
		if _, err := step.db.ExecContext(ctx, step.stmt); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			if got := names(t, s, "a"); !equal(got, step.want) {
				t.Fatalf("after %q, read %d: %v, want %v", step.stmt, i, got, step.want)
			}
		}
	}
	if got := names(t, s, "b"); !equal(got, []string{"Anne", "Cy", "Dee"}) {
		t.Errorf("team b: %v", got)
	}
}

// A caller may change the slice it got without changing what the next caller gets.
func TestSnapshotsHandOutCopies(t *testing.T) {
	_, _, s := openPeople(t, 1)
	first, err := Query(context.Background(), s, qPeople, []any{"a"}, scanPerson)
	if err != nil {
		t.Fatal(err)
	}
	first[0].Name = "changed"
	_ = append(first[:0], person{Name: "appended"})
	if got := names(t, s, "a"); !equal(got, []string{"Ann", "Bob"}) {
		t.Errorf("after a caller changed its copy: %v", got)
	}
}

// Reads go on while a writer commits; each result is a state the database really had (never a mix),
// and the last read after the writer stops is the final state. Run with -race.
func TestSnapshotsUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	_, w, s := openPeople(t, 3)
	if _, err := w.ExecContext(ctx, `UPDATE people SET note = 'start' WHERE team = 'a'`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for i := 0; i < 200; i++ {
			// Both rows of team a change in one transaction: a reader must see both or neither.
			if _, err := w.ExecContext(ctx, `UPDATE people SET note = ? WHERE team = 'a'`, i); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				ps, err := Query(ctx, s, qPeople, []any{"a"}, scanPerson)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ps) != 2 || ps[0].Note != ps[1].Note {
					t.Errorf("a state that never was: %+v", ps)
					return
				}
			}
		}()
	}
	wg.Wait()
	ps, err := Query(ctx, s, qPeople, []any{"a"}, scanPerson)
	if err != nil || len(ps) != 2 || ps[0].Note.String != "199" || ps[1].Note.String != "199" {
		t.Errorf("after the writer: %+v, %v", ps, err)
	}
}

func TestSnapshotsRefuseWhatTheyCannotKey(t *testing.T) {
	_, _, s := openPeople(t, 1)
	ctx := context.Background()
	if _, err := Query(ctx, s, qPeople, []any{1.5}, scanPerson); err == nil {
		t.Error("a float argument was accepted")
	}
	if _, err := Query(ctx, s, `SELECT ?, ?, ?, ?, ?`, []any{1, 2, 3, 4, 5}, scanPerson); err == nil {
		t.Error("five arguments were accepted")
	}
	// A failing query leaves the connection usable and nothing kept.
	if _, err := Query(ctx, s, `SELECT id, name, note FROM nowhere`, nil, scanPerson); err == nil {
		t.Error("a query of a missing table succeeded")
	}
	var bad struct{ x float32 }
	_, err := Query(ctx, s, qPeople, []any{"a"}, func(r Row) (person, error) { return person{}, r.Scan(&bad.x, &bad.x, &bad.x) })
	if err == nil {
		t.Error("an unsupported destination was accepted")
	}
	if got := names(t, s, "a"); !equal(got, []string{"Ann", "Bob"}) {
		t.Errorf("after the failures: %v", got)
	}
}

// The hit path: the version check and a copy of what the connection kept.
func BenchmarkSnapshotHit(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "b.db")
	w, r, err := Open(ctx, path, Options{Readers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	if _, err := w.ExecContext(ctx, `CREATE TABLE people (id INTEGER PRIMARY KEY, team TEXT, name TEXT, note TEXT);
		INSERT INTO people VALUES (1, 'a', 'Ann', NULL), (2, 'a', 'Bob', 'x')`); err != nil {
		b.Fatal(err)
	}
	s, err := NewSnapshots(ctx, r, path, 8)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := Query(ctx, s, qPeople, []any{"a"}, scanPerson); err != nil {
			b.Fatal(err)
		}
	}
}

// A View's reads are one state of the database, the same as Query's, and a commit between two
// Views shows in the second.
func TestSnapshotViews(t *testing.T) {
	ctx := context.Background()
	_, w, s := openPeople(t, 2)
	read := func() (a, b []string) {
		t.Helper()
		err := s.Read(ctx, func(v *View) error {
			for team, dst := range map[string]*[]string{"a": &a, "b": &b} {
				ps, err := ViewQuery(v, qPeople, []any{team}, scanPerson)
				if err != nil {
					return err
				}
				*dst = []string{}
				for _, p := range ps {
					*dst = append(*dst, p.Name)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
	for i := 0; i < 3; i++ {
		if a, b := read(); !equal(a, names(t, s, "a")) || !equal(b, []string{"Cy"}) {
			t.Fatalf("read %d: %v %v", i, a, b)
		}
	}
	if _, err := w.ExecContext(ctx, `UPDATE people SET team = 'b' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if a, b := read(); !equal(a, []string{"Bob"}) || !equal(b, []string{"Ann", "Cy"}) {
		t.Fatalf("after the commit: %v %v", a, b)
	}
	if err := s.Read(ctx, func(v *View) error {
		_, err := ViewQuery(v, `SELECT nothing FROM nowhere`, nil, scanPerson)
		return err
	}); err == nil {
		t.Error("a failing query in a view succeeded")
	}
	if a, _ := read(); !equal(a, []string{"Bob"}) {
		t.Fatalf("after a failed view: %v", a)
	}
}

// Rows kept at the current WAL index header are served with no connection at all: here the pool's
// only reader is taken, and the kept read still answers; after a commit the next read goes to the
// database again (and so waits for the reader).
func TestSnapshotsServeKeptRowsWithoutAConnection(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "people.db")
	w, r, err := Open(ctx, path, Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	if _, err := w.ExecContext(ctx, `CREATE TABLE people (id INTEGER PRIMARY KEY, team TEXT, name TEXT, note TEXT);
		INSERT INTO people VALUES (1, 'a', 'Ann', NULL)`); err != nil {
		t.Fatal(err)
	}
	s, err := NewSnapshots(ctx, r, path, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := names(t, s, "a"); !equal(got, []string{"Ann"}) {
		t.Fatalf("first read: %v", got)
	}
	only, err := r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A read that needed a connection would wait for the one held above until this context ends.
	short, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ps, err := Query(short, s, qPeople, []any{"a"}, scanPerson)
	if err != nil || len(ps) != 1 || ps[0].Name != "Ann" {
		t.Fatalf("kept read with the reader taken: %+v, %v", ps, err)
	}
	if _, err := w.ExecContext(ctx, `UPDATE people SET name = 'Anne' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	done, cancel2 := context.WithCancel(ctx)
	cancel2()
	if _, err := Query(done, s, qPeople, []any{"a"}, scanPerson); err == nil {
		t.Fatal("after a commit, a read was answered without the database")
	}
	only.Close()
	if got := names(t, s, "a"); !equal(got, []string{"Anne"}) {
		t.Fatalf("after the commit: %v", got)
	}
}

// The WAL index that Snapshots reads stays the file SQLite uses, held by Snapshots' own guard
// connection alone: with every other pool of ours closed, another connection can neither take the
// file out of WAL mode nor, closing last, delete the index.
func TestWALIndexStaysTheDatabases(t *testing.T) {
	ctx := context.Background()
	path, w, s := openPeople(t, 2)
	w.Close()
	s.db.Close()
	other, otherR, err := Open(ctx, path, Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := other.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err == nil && mode != "wal" {
		t.Fatalf("another connection switched the file to %q", mode)
	}
	otherR.Close()
	other.Close()
	fi, err := os.Stat(path + "-shm")
	if err != nil {
		t.Fatalf("the index is gone: %v", err)
	}
	held, err := s.wal.shm.Stat()
	if err != nil || !os.SameFile(fi, held) {
		t.Fatalf("the index read is not the file's: %v", err)
	}
	if _, ok := s.wal.header(); !ok {
		t.Error("the header cannot be read")
	}
}
