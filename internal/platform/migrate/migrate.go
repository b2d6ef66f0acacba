// Package migrate runs versioned schema changes, the one runner of every database the services own
// (Momentum's SQLite file, Cohortly's SQLite file and PostgreSQL database). Each step runs in its own
// transaction, which also records it in the journal table, so a step is either applied and recorded
// or neither, and a failed step leaves the earlier ones in place. Each database keeps the journal
// table it has always had (deployed databases already hold one); the adapter describes it as a
// Journal.
package migrate

import (
	"context"
	"fmt"
	"slices"
)

// Step is one versioned schema change. Up runs inside the step's transaction; the note it returns is
// what the journal records about this run (e.g. which of two forms an index took), and may be empty.
type Step[Tx any] struct {
	Version int
	Name    string
	Up      func(ctx context.Context, tx Tx) (note string, err error)
}

// Journal is one database: its transactions and the table recording applied versions.
type Journal[Tx any] interface {
	// Init creates the journal table when missing.
	Init(ctx context.Context) error
	// Begin starts a step's transaction. Transactions of concurrent migrators of one database must
	// serialise (SQLite: BEGIN IMMEDIATE; PostgreSQL: each transaction takes a transaction-level advisory lock), so each
	// sees the versions the other recorded.
	Begin(ctx context.Context) (Tx, error)
	Commit(ctx context.Context, tx Tx) error
	// Rollback ends tx unless it was committed.
	Rollback(ctx context.Context, tx Tx) error
	// Applied returns the recorded versions, read in tx.
	Applied(ctx context.Context, tx Tx) ([]int, error)
	// Record records the step in tx.
	Record(ctx context.Context, tx Tx, version int, name, note string) error
}

// Report says what Run found and did.
type Report struct {
	// Applied lists the versions this run executed, in order.
	Applied []int
	// Notes holds the non-empty notes of the steps this run executed.
	Notes map[int]string
	// Current is the highest version recorded afterwards.
	Current int
	// Unknown lists recorded versions no step has (a newer release migrated this database), ascending.
	Unknown []int
}

// NewerError is returned when the journal holds versions no step has and the caller refuses them.
type NewerError struct {
	Versions []int // unknown versions, ascending
	Latest   int   // the last version this program knows
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this program knows (%d)", e.Versions[len(e.Versions)-1], e.Latest)
}

// Options tunes Run.
type Options struct {
	// RefuseUnknown makes recorded versions that no step has an error (NewerError) before anything
	// runs; otherwise they are reported in Report.Unknown and left alone.
	RefuseUnknown bool
}

// Run applies the steps the journal does not record, in version order. Versions must be positive and
// strictly increasing. An up-to-date database costs one read transaction.
func Run[Tx any](ctx context.Context, j Journal[Tx], steps []Step[Tx], o Options) (Report, error) {
	var rep Report
	for i, s := range steps {
		if s.Version <= 0 || i > 0 && s.Version <= steps[i-1].Version {
			return rep, fmt.Errorf("migration %d (%s): versions must be positive and increasing", s.Version, s.Name)
		}
	}
	if err := j.Init(ctx); err != nil {
		return rep, fmt.Errorf("create migration journal: %w", err)
	}
	recorded, err := applied(ctx, j)
	if err != nil {
		return rep, err
	}
	known := make(map[int]bool, len(steps))
	for _, s := range steps {
		known[s.Version] = true
	}
	for _, v := range recorded {
		if !known[v] {
			rep.Unknown = append(rep.Unknown, v)
		}
	}
	slices.Sort(rep.Unknown)
	if o.RefuseUnknown && len(rep.Unknown) > 0 {
		latest := 0
		if len(steps) > 0 {
			latest = steps[len(steps)-1].Version
		}
		return rep, &NewerError{Versions: rep.Unknown, Latest: latest}
	}
	for _, s := range steps {
		if slices.Contains(recorded, s.Version) {
			continue
		}
		done, note, err := apply(ctx, j, s)
		if err != nil {
			return rep, err
		}
		if done {
			rep.Applied = append(rep.Applied, s.Version)
			if note != "" {
				if rep.Notes == nil {
					rep.Notes = map[int]string{}
				}
				rep.Notes[s.Version] = note
			}
		}
		recorded = append(recorded, s.Version)
	}
	for _, v := range recorded {
		rep.Current = max(rep.Current, v)
	}
	return rep, nil
}

// applied reads the journal in a transaction of its own.
func applied[Tx any](ctx context.Context, j Journal[Tx]) ([]int, error) {
	tx, err := j.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("read migration journal: begin: %w", err)
	}
	defer j.Rollback(ctx, tx) //nolint:errcheck // read only
	vs, err := j.Applied(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("read migration journal: %w", err)
	}
	return vs, nil
}

// apply runs s in its own transaction unless a concurrent migrator recorded it meanwhile (checked in
// that transaction, which serialises with the other migrator's).
func apply[Tx any](ctx context.Context, j Journal[Tx], s Step[Tx]) (done bool, note string, err error) {
	fail := func(what string, err error) (bool, string, error) {
		return false, "", fmt.Errorf("migration %d (%s): %s%w", s.Version, s.Name, what, err)
	}
	tx, err := j.Begin(ctx)
	if err != nil {
		return fail("begin: ", err)
	}
	defer j.Rollback(ctx, tx) //nolint:errcheck // a no-op after Commit
	vs, err := j.Applied(ctx, tx)
	if err != nil {
		return fail("read journal: ", err)
	}
	if slices.Contains(vs, s.Version) {
		return false, "", nil
	}
	if note, err = s.Up(ctx, tx); err != nil {
		return fail("", err)
	}
	if err := j.Record(ctx, tx, s.Version, s.Name, note); err != nil {
		return fail("record: ", err)
	}
	if err := j.Commit(ctx, tx); err != nil {
		return fail("commit: ", err)
	}
	return true, note, nil
}
