package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/momentum-cohortly/backends/internal/platform/migrate"
)

// legacySchema is the legacy server's database.js schema, statement for statement (with single-quoted
// literals). On a legacy file every statement is a no-op.
var legacySchema = []string{
	`CREATE TABLE IF NOT EXISTS users (
          user_id INTEGER PRIMARY KEY AUTOINCREMENT,
          email TEXT UNIQUE NOT NULL,
          password_hash TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('restaurant', 'admin')),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        )`,
	`CREATE TABLE IF NOT EXISTS restaurants (
          restaurant_id INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          address TEXT,
          phone TEXT,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (user_id) REFERENCES users (user_id)
        )`,
	`CREATE TABLE IF NOT EXISTS campaigns (
          campaign_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          campaign_type TEXT NOT NULL CHECK (campaign_type IN ('ad', 'sms')),
          status TEXT NOT NULL CHECK (status IN ('active', 'draft', 'completed', 'paused')),
          name TEXT NOT NULL,
          details TEXT,
          budget DECIMAL(10,2),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id)
        )`,
	`CREATE TABLE IF NOT EXISTS checklist_status (
          status_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          checklist_item_name TEXT NOT NULL,
          is_complete BOOLEAN DEFAULT FALSE,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id)
        )`,
	`CREATE TABLE IF NOT EXISTS checklist_categories (
          category_id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          description TEXT,
          icon TEXT,
          type TEXT NOT NULL CHECK (type IN ('foundational', 'ongoing')),
          order_in_list INTEGER NOT NULL,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        )`,
	`CREATE TABLE IF NOT EXISTS checklist_items (
          item_id INTEGER PRIMARY KEY AUTOINCREMENT,
          category_id INTEGER NOT NULL,
          parent_item_id INTEGER,
          title TEXT NOT NULL,
          description TEXT,
          guidance_link TEXT,
          order_in_category INTEGER NOT NULL,
          is_critical BOOLEAN DEFAULT FALSE,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (category_id) REFERENCES checklist_categories (category_id),
          FOREIGN KEY (parent_item_id) REFERENCES checklist_items (item_id)
        )`,
	`CREATE TABLE IF NOT EXISTS restaurant_checklist_status (
          status_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          item_id INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'not_applicable')),
          notes TEXT,
          last_updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id),
          FOREIGN KEY (item_id) REFERENCES checklist_items (item_id),
          UNIQUE(restaurant_id, item_id)
        )`,
	`CREATE TABLE IF NOT EXISTS sessions (
          session_id TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL,
          impersonating_restaurant_id INTEGER,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          expires_at DATETIME NOT NULL,
          FOREIGN KEY (user_id) REFERENCES users (user_id),
          FOREIGN KEY (impersonating_restaurant_id) REFERENCES restaurants (restaurant_id)
        )`,
}

// LegacyTables lists the tables of the legacy schema, which migrations never rename, drop or retype.
func LegacyTables() []string {
	return []string{
		"users", "restaurants", "campaigns", "checklist_status", "checklist_categories",
		"checklist_items", "restaurant_checklist_status", "sessions",
	}
}

// migrations in order; versions are never reused or renumbered. Steps only ever add (tables, columns,
// indexes), so the legacy Node server keeps working on a migrated file. The legacy file has no journal
// table until the first Open creates it; version 1 then runs its CREATE TABLE IF NOT EXISTS no-ops.
var migrations = []migrate.Step[*sql.Tx]{
	{Version: 1, Name: "legacy schema", Up: applyLegacySchema},
	{Version: 2, Name: "campaigns.external_id", Up: applyCampaignExternalID},
	{Version: 3, Name: "impersonation_log table", Up: execAll(
		`CREATE TABLE IF NOT EXISTS impersonation_log (
          event_id INTEGER PRIMARY KEY AUTOINCREMENT,
          admin_user_id INTEGER NOT NULL,
          admin_email TEXT NOT NULL,
          restaurant_id INTEGER NOT NULL,
          session_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('start', 'end')),
          at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        )`,
		`CREATE INDEX IF NOT EXISTS impersonation_log_at ON impersonation_log (at, event_id)`,
	)},
	{Version: 4, Name: "indexes for hot queries", Up: execAll(
		`CREATE INDEX IF NOT EXISTS restaurants_user ON restaurants (user_id, restaurant_id)`,
		`CREATE INDEX IF NOT EXISTS restaurants_created ON restaurants (created_at, restaurant_id)`,
		`CREATE INDEX IF NOT EXISTS checklist_status_pending ON checklist_status (restaurant_id, is_complete, created_at, status_id)`,
		`CREATE INDEX IF NOT EXISTS checklist_status_complete ON checklist_status (is_complete, restaurant_id)`,
		`CREATE INDEX IF NOT EXISTS campaigns_restaurant_created ON campaigns (restaurant_id, created_at, campaign_id)`,
		`CREATE INDEX IF NOT EXISTS campaigns_restaurant_status_created ON campaigns (restaurant_id, status, created_at, campaign_id)`,
		`CREATE INDEX IF NOT EXISTS campaigns_created ON campaigns (created_at)`,
		`CREATE INDEX IF NOT EXISTS campaigns_external ON campaigns (restaurant_id, external_id)`,
		`CREATE INDEX IF NOT EXISTS checklist_items_category ON checklist_items (category_id, order_in_category, item_id)`,
		`CREATE INDEX IF NOT EXISTS checklist_categories_order ON checklist_categories (order_in_list, category_id)`,
		`CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at)`,
		`CREATE INDEX IF NOT EXISTS users_role ON users (role)`,
	)},
	{Version: 5, Name: "normalized email index", Up: applyEmailIndex},
}

// LatestVersion is the schema version a store is at after Open.
func LatestVersion() int { return migrations[len(migrations)-1].Version }

func execAll(stmts ...string) func(context.Context, *sql.Tx) (string, error) {
	return func(ctx context.Context, tx *sql.Tx) (string, error) {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return "", fmt.Errorf("%s: %w", firstLine(q), err)
			}
		}
		return "", nil
	}
}

func firstLine(q string) string {
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		return q[:i]
	}
	return q
}

func applyLegacySchema(ctx context.Context, tx *sql.Tx) (string, error) {
	if _, err := execAll(legacySchema...)(ctx, tx); err != nil {
		return "", err
	}
	// A file made before the categories' description and icon existed gets them the way the
	// committed legacy file got them: appended by ALTER TABLE.
	var added []string
	for _, col := range []string{"description", "icon"} {
		ok, err := hasColumn(ctx, tx, "checklist_categories", col)
		if err != nil {
			return "", err
		}
		if !ok {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE checklist_categories ADD COLUMN "+col+" TEXT"); err != nil {
				return "", fmt.Errorf("add checklist_categories.%s: %w", col, err)
			}
			added = append(added, col)
		}
	}
	if len(added) > 0 {
		return "added checklist_categories." + strings.Join(added, ", "), nil
	}
	return "", nil
}

func applyCampaignExternalID(ctx context.Context, tx *sql.Tx) (string, error) {
	ok, err := hasColumn(ctx, tx, "campaigns", "external_id")
	if err != nil || ok {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, "ALTER TABLE campaigns ADD COLUMN external_id TEXT"); err != nil {
		return "", fmt.Errorf("add campaigns.external_id: %w", err)
	}
	return "", nil
}

// applyEmailIndex indexes lower(trim(email)), the SQL spelling of momentum.NormalizeEmail for printable
// ASCII, UNIQUE when the data allows it so that even the legacy server cannot create a case-variant
// duplicate. A legacy file that already holds case-variant duplicates gets a plain index instead, and
// the store keeps working (lookups prefer the exact spelling, then the lowest id). Emails with any
// other character go into a small partial index and are compared in Go.
func applyEmailIndex(ctx context.Context, tx *sql.Tx) (string, error) {
	note := "unique"
	if _, err := tx.ExecContext(ctx, `CREATE UNIQUE INDEX IF NOT EXISTS users_email_normalized ON users (lower(trim(email)))`); err != nil {
		if !isUnique(err) {
			return "", fmt.Errorf("create unique email index: %w", err)
		}
		note = "not unique: the data holds case-variant duplicate emails"
		if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS users_email_normalized ON users (lower(trim(email)))`); err != nil {
			return "", fmt.Errorf("create email index: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS users_email_unusual ON users (user_id) WHERE `+unusualEmail); err != nil {
		return "", fmt.Errorf("create unusual email index: %w", err)
	}
	return note, nil
}

// unusualEmail selects emails with a character outside printable ASCII: for those, lower(trim()) and
// momentum.NormalizeEmail may disagree (Unicode case, tabs, no-break spaces), so they are compared in
// Go. The text must be identical in the partial index and the queries for SQLite to use the index.
const unusualEmail = `email GLOB '*[^ -~]*'`

func hasColumn(ctx context.Context, tx *sql.Tx, table, column string) (bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return false, fmt.Errorf("table_info %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return false, err
		}
		if strings.EqualFold(name, column) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// journal is schema_migrations, the table this store has always kept its versions in.
func journal(w *sql.DB) migrate.SQLJournal {
	return migrate.SQLJournal{
		DB: w,
		Create: `CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          note TEXT NOT NULL DEFAULT '',
          applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        )`,
		Versions: "SELECT version FROM schema_migrations",
		Insert: func(ctx context.Context, tx *sql.Tx, version int, name, note string) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, note) VALUES (?, ?, ?)", version, name, note)
			return err
		},
	}
}

// migrateFile applies the pending migrations, each in its own immediate transaction: a second process
// opening the same file at the same time waits, then finds nothing left to do; a failed step leaves
// the file as the previous step left it. A file written by a newer program is refused untouched.
func migrateFile(ctx context.Context, w *sql.DB) error {
	_, err := migrate.Run(ctx, journal(w), migrations, migrate.Options{RefuseUnknown: true})
	return err
}

// AppliedMigration is one row of schema_migrations.
type AppliedMigration struct {
	Version   int
	Name      string
	Note      string
	AppliedAt string
}

// AppliedMigrations lists the migrations recorded in the file, oldest first (for a `migrate status`
// command).
func (s *Store) AppliedMigrations(ctx context.Context) ([]AppliedMigration, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT version, name, note, CAST(applied_at AS TEXT) FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	defer rows.Close()
	var out []AppliedMigration
	for rows.Next() {
		var m AppliedMigration
		if err := rows.Scan(&m.Version, &m.Name, &m.Note, &m.AppliedAt); err != nil {
			return nil, fmt.Errorf("list migrations: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
