// Package legacymigrate moves Momentum's data between the legacy SQLite file (contract §5) and MongoDB
// (the document model in internal/momentum/mongostore/MODEL.md): a forward migration that is idempotent and
// resumable, a verifier that compares both sides document by document, a reverse export back to a
// legacy SQLite file, and a generator of synthetic legacy databases for scale tests.
//
// Entry point: Main, wired as `momentum migrate <subcommand>`.
package legacymigrate

import (
	"strings"

	momentum "github.com/momentum-cohortly/backends/internal/momentum"
)

// kind says how a legacy column's value becomes a BSON value and back.
type kind int

const (
	kInt  kind = iota // int64
	kText             // string
	kTime             // BSON date from a legacy `YYYY-MM-DD HH:MM:SS` UTC string
	kReal             // double (campaigns.budget)
	kBool             // bool from 0/1 (checklist_items.is_critical)
	kFlag             // int64 0/1 from anything (checklist_status.is_complete)
	kJSON             // embedded document from JSON text (campaigns.details)
)

// column is one legacy column; its MongoDB field has the same name.
type column struct {
	name string
	kind kind
	// optional columns may be missing from a source file: the additive columns the Go server's
	// SQLite adapter adds. A missing optional column reads as NULL.
	optional bool
	// ref names the table whose key this column references ("" for none). The legacy server never
	// enforced these, so broken ones are found and handled by the orphan policy.
	ref string
	// emptyIsNull: the model stores "" as null (the original "" is kept in legacy_raw).
	emptyIsNull bool
}

// derived is a field of the document model computed from the legacy columns rather than stored
// in SQLite; the reverse export drops it.
type derived struct {
	name string
	// after is the column this field follows in the document.
	after string
	// from computes the field from the converted document so far.
	from func(doc docFields) any
}

// index is one MongoDB index. The migrator creates only the unique index on each legacy key itself,
// before loading (resumed batches rely on it); every other index of the model comes from
// mongostore.EnsureIndexes after the load, so the server and the migrator build the same ones.
// Names are the driver's defaults ("user_id_1").
type index struct {
	keys   []string
	unique bool
}

// table is one legacy table and the collection it becomes.
type table struct {
	name string // legacy table name == collection name
	key  string // legacy key column == document key field (unique)
	// textKey is set for sessions, whose key is TEXT and not the rowid.
	textKey bool
	// optional tables may be missing from a source file (added by the Go server's SQLite adapter).
	optional bool
	cols     []column
	derived  []derived
	// counter is set for tables whose ids come from AUTOINCREMENT (and a counters document in MongoDB).
	counter bool
	// noRefCheck tables are logs whose references may legitimately point at deleted rows.
	noRefCheck bool
}

// docFields gives derived fields access to already converted values by name.
type docFields map[string]any

// tables lists the legacy tables in migration order: a table comes after every table it references,
// so a resumed run never sees a child before its parents are complete.
var tables = []*table{
	{
		name: "users", key: "user_id", counter: true,
		cols: []column{
			{name: "user_id", kind: kInt},
			{name: "email", kind: kText},
			{name: "password_hash", kind: kText},
			{name: "role", kind: kText},
			{name: "created_at", kind: kTime},
		},
		derived: []derived{
			{name: "email_normalized", after: "email", from: normalizedEmail},
			// The legacy users table has no updated_at; the model has one, which starts equal to created_at.
			{name: "updated_at", after: "created_at", from: func(d docFields) any { return d["created_at"] }},
		},
	},
	{
		name: "restaurants", key: "restaurant_id", counter: true,
		cols: []column{
			{name: "restaurant_id", kind: kInt},
			{name: "user_id", kind: kInt, ref: "users"},
			{name: "name", kind: kText},
			{name: "address", kind: kText},
			{name: "phone", kind: kText},
			{name: "created_at", kind: kTime},
		},
		derived: []derived{
			{name: "updated_at", after: "created_at", from: func(d docFields) any { return d["created_at"] }},
		},
	},
	{
		name: "checklist_categories", key: "category_id", counter: true,
		cols: []column{
			{name: "category_id", kind: kInt},
			{name: "name", kind: kText},
			{name: "description", kind: kText},
			{name: "icon", kind: kText},
			{name: "type", kind: kText},
			{name: "order_in_list", kind: kInt},
			{name: "created_at", kind: kTime},
		},
	},
	{
		name: "checklist_items", key: "item_id", counter: true,
		cols: []column{
			{name: "item_id", kind: kInt},
			{name: "category_id", kind: kInt, ref: "checklist_categories"},
			{name: "parent_item_id", kind: kInt, ref: "checklist_items"},
			{name: "title", kind: kText},
			{name: "description", kind: kText},
			{name: "guidance_link", kind: kText},
			{name: "order_in_category", kind: kInt},
			{name: "is_critical", kind: kBool},
			{name: "created_at", kind: kTime},
		},
	},
	{
		name: "campaigns", key: "campaign_id", counter: true,
		cols: []column{
			{name: "campaign_id", kind: kInt},
			{name: "restaurant_id", kind: kInt, ref: "restaurants"},
			{name: "campaign_type", kind: kText},
			{name: "status", kind: kText},
			{name: "name", kind: kText},
			{name: "details", kind: kJSON},
			{name: "budget", kind: kReal},
			{name: "external_id", kind: kText, optional: true, emptyIsNull: true},
			{name: "created_at", kind: kTime},
			{name: "updated_at", kind: kTime},
		},
	},
	{
		name: "checklist_status", key: "status_id", counter: true,
		cols: []column{
			{name: "status_id", kind: kInt},
			{name: "restaurant_id", kind: kInt, ref: "restaurants"},
			{name: "checklist_item_name", kind: kText},
			{name: "is_complete", kind: kFlag},
			{name: "created_at", kind: kTime},
			{name: "updated_at", kind: kTime},
		},
	},
	{
		name: "restaurant_checklist_status", key: "status_id", counter: true,
		cols: []column{
			{name: "status_id", kind: kInt},
			{name: "restaurant_id", kind: kInt, ref: "restaurants"},
			{name: "item_id", kind: kInt, ref: "checklist_items"},
			{name: "status", kind: kText},
			{name: "notes", kind: kText},
			{name: "last_updated_at", kind: kTime},
		},
	},
	{
		name: "sessions", key: "session_id", textKey: true,
		cols: []column{
			{name: "session_id", kind: kText},
			{name: "user_id", kind: kInt, ref: "users"},
			{name: "impersonating_restaurant_id", kind: kInt, ref: "restaurants"},
			{name: "created_at", kind: kTime},
			{name: "expires_at", kind: kTime},
		},
	},
	{
		name: "impersonation_log", key: "event_id", counter: true, optional: true, noRefCheck: true,
		cols: []column{
			{name: "event_id", kind: kInt},
			{name: "admin_user_id", kind: kInt},
			{name: "admin_email", kind: kText},
			{name: "restaurant_id", kind: kInt},
			{name: "session_id", kind: kText},
			{name: "action", kind: kText},
			{name: "at", kind: kTime},
		},
	},
}

// Bookkeeping collections the migrator keeps next to the data; the servers never read them.
const (
	stateCollection        = "migration_state"
	issuesCollection       = "migration_issues"
	countersColl           = "counters"
	benchCollection        = "migration_bench_scratch"
	benchIndexedCollection = "migration_bench_scratch_indexed"
	legacyRawField         = "legacy_raw"
	maxIssueValueSize      = 200
)

// ignoredSourceTables are SQLite tables that are not data: SQLite's own, and schema bookkeeping the
// Go server's SQLite adapter may add.
func ignoredSourceTable(name string) bool {
	return strings.HasPrefix(name, "sqlite_") || name == "schema_migrations"
}

func tableByName(name string) *table {
	for _, t := range tables {
		if t.name == name {
			return t
		}
	}
	return nil
}

func (t *table) column(name string) *column {
	for i := range t.cols {
		if t.cols[i].name == name {
			return &t.cols[i]
		}
	}
	return nil
}

// refs lists the columns of t that reference other tables (including itself).
func (t *table) refs() []column {
	if t.noRefCheck {
		return nil
	}
	var out []column
	for _, c := range t.cols {
		if c.ref != "" {
			out = append(out, c)
		}
	}
	return out
}

func normalizedEmail(d docFields) any {
	s, ok := d["email"].(string)
	if !ok {
		return nil
	}
	return momentum.NormalizeEmail(s)
}
