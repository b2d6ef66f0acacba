// Package schema holds Cohortly's versioned database migrations for both adapters (PostgreSQL and
// SQLite) and the description of the legacy Prisma schema the PostgreSQL migrator adopts.
//
// Both dialects carry the same versions with the same names, so "version 3" means the same change on
// either database. Version 1 is the baseline: the legacy Prisma schema. Every later version is
// additive, because the legacy Node server may keep running on the same PostgreSQL database during the
// cut-over: new tables, new nullable columns and new indexes only; no renames, no type changes, no new
// NOT NULL column without a default.
package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string // from the file name, e.g. "baseline"
	SQL     string
}

// Column describes one legacy column as PostgreSQL reports it.
type Column struct {
	Table   string
	Name    string
	Type    string // format_type() output, e.g. `timestamp(3) without time zone`, `"UserRole"`
	NotNull bool
}

// BookkeepingTable is where both migrators record applied versions. It is deliberately separate from
// Prisma's _prisma_migrations, which the migrators never read or write.
const BookkeepingTable = "cohortly_schema_migrations"

// LegacyPrismaMigration is the name of the only legacy Prisma migration, which version 1 reproduces.
const LegacyPrismaMigration = "20260118155230_initial_setup"

// LegacyEnums are the PostgreSQL enum types of the legacy schema with their labels in order.
var LegacyEnums = map[string][]string{
	"UserRole":         {"ADMIN", "SALES", "INSTRUCTOR", "MENTOR", "STUDENT"},
	"LeadStatus":       {"NEW", "CONTACTED", "FOLLOWUP", "INTERESTED", "ENROLLED", "LOST"},
	"LeadSource":       {"WEBSITE", "REFERRAL", "SOCIAL_MEDIA", "ADVERTISEMENT", "DIRECT", "OTHER"},
	"BootcampMode":     {"LIVE", "RECORDED", "HYBRID"},
	"BatchStatus":      {"UPCOMING", "ONGOING", "COMPLETED", "CANCELLED"},
	"EnrollmentStatus": {"PENDING", "ACTIVE", "COMPLETED", "DROPPED", "SUSPENDED"},
	"PaymentMethod":    {"CREDIT_CARD", "DEBIT_CARD", "UPI", "NET_BANKING", "CASH", "OTHER"},
	"PaymentStatus":    {"PENDING", "COMPLETED", "FAILED", "REFUNDED"},
	"ContentType":      {"VIDEO", "DOCUMENT", "LINK", "QUIZ", "TEXT"},
	"ResourceType":     {"PDF", "VIDEO", "LINK", "CODE", "IMAGE", "OTHER"},
	"SubmissionStatus": {"PENDING", "SUBMITTED", "GRADED", "LATE"},
}

// LegacyTables lists the 20 tables of the legacy schema.
func LegacyTables() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range LegacyColumns {
		if !seen[c.Table] {
			seen[c.Table] = true
			out = append(out, c.Table)
		}
	}
	sort.Strings(out)
	return out
}

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Postgres returns the PostgreSQL migrations in version order.
func Postgres() []Migration { return mustLoad("postgres") }

// SQLite returns the SQLite migrations in version order.
func SQLite() []Migration { return mustLoad("sqlite") }

// mustLoad panics only on a malformed embedded file name, which the package's own test catches.
func mustLoad(dir string) []Migration {
	ms, err := load(files, dir)
	if err != nil {
		panic(err)
	}
	return ms
}

func load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s migrations: %w", dir, err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || rest == "" {
			return nil, fmt.Errorf("migration file %s/%s: want NNNN_name.sql", dir, name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s/%s: %w", dir, name, err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("%s migrations: version %d found where %d was expected (gaps or duplicates)", dir, out[i].Version, i+1)
		}
	}
	return out, nil
}
