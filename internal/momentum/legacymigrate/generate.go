package legacymigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"time"

	momentum "github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// GenerateOptions configures a synthetic legacy database.
type GenerateOptions struct {
	Out         string
	Force       bool
	Restaurants int
	Statuses    int     // restaurant_checklist_status rows; < 0: 10 per restaurant
	Campaigns   int     // < 0: one per 2 restaurants
	Sessions    int     // < 0: one per 100 restaurants
	Defects     float64 // share of rows given each kind of defect
	Seed        uint64
}

// GenerateResult says what Generate wrote, and which defects it planted.
type GenerateResult struct {
	Users, Restaurants, Campaigns, Tasks, Categories, Items, Statuses, Sessions     int64
	OrphanRestaurants, OrphanTasks, OrphanStatuses, OrphanCampaigns, OrphanSessions int64
	InvalidJSON, OddTimestamps, OddFlags                                            int64
	// UnparseableTimestamps is the part of OddTimestamps that is no time at all.
	UnparseableTimestamps int64
}

func (r GenerateResult) String() string {
	return fmt.Sprintf("%d users, %d restaurants, %d tasks, %d categories, %d items, %d statuses, %d campaigns, %d sessions; defects: %d orphan restaurants, %d orphan tasks, %d orphan statuses, %d orphan campaigns, %d orphan sessions, %d invalid JSON, %d odd timestamps, %d odd booleans",
		r.Users, r.Restaurants, r.Tasks, r.Categories, r.Items, r.Statuses, r.Campaigns, r.Sessions,
		r.OrphanRestaurants, r.OrphanTasks, r.OrphanStatuses, r.OrphanCampaigns, r.OrphanSessions, r.InvalidJSON, r.OddTimestamps, r.OddFlags)
}

// committedSchema is the schema of the committed legacy file (contract §5.2): database.js, except
// that checklist_categories got description and icon by a later ALTER TABLE, at the end.
var committedSchema = []string{
	`CREATE TABLE users (user_id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('restaurant', 'admin')), created_at DATETIME DEFAULT CURRENT_TIMESTAMP)`,
	`CREATE TABLE restaurants (restaurant_id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, name TEXT NOT NULL, address TEXT, phone TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (user_id) REFERENCES users (user_id))`,
	`CREATE TABLE campaigns (campaign_id INTEGER PRIMARY KEY AUTOINCREMENT, restaurant_id INTEGER NOT NULL, campaign_type TEXT NOT NULL CHECK (campaign_type IN ('ad', 'sms')), status TEXT NOT NULL CHECK (status IN ('active', 'draft', 'completed', 'paused')), name TEXT NOT NULL, details TEXT, budget DECIMAL(10,2), created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id))`,
	`CREATE TABLE checklist_status (status_id INTEGER PRIMARY KEY AUTOINCREMENT, restaurant_id INTEGER NOT NULL, checklist_item_name TEXT NOT NULL, is_complete BOOLEAN DEFAULT FALSE, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id))`,
	`CREATE TABLE checklist_categories (category_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('foundational', 'ongoing')), order_in_list INTEGER NOT NULL, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, description TEXT, icon TEXT)`,
	`CREATE TABLE checklist_items (item_id INTEGER PRIMARY KEY AUTOINCREMENT, category_id INTEGER NOT NULL, parent_item_id INTEGER, title TEXT NOT NULL, description TEXT, guidance_link TEXT, order_in_category INTEGER NOT NULL, is_critical BOOLEAN DEFAULT FALSE, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (category_id) REFERENCES checklist_categories (category_id), FOREIGN KEY (parent_item_id) REFERENCES checklist_items (item_id))`,
	`CREATE TABLE restaurant_checklist_status (status_id INTEGER PRIMARY KEY AUTOINCREMENT, restaurant_id INTEGER NOT NULL, item_id INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'not_applicable')), notes TEXT, last_updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id), FOREIGN KEY (item_id) REFERENCES checklist_items (item_id), UNIQUE(restaurant_id, item_id))`,
	`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, impersonating_restaurant_id INTEGER, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, expires_at DATETIME NOT NULL, FOREIGN KEY (user_id) REFERENCES users (user_id), FOREIGN KEY (impersonating_restaurant_id) REFERENCES restaurants (restaurant_id))`,
}

// The two bcrypt hashes of the committed database: every generated restaurant user logs in with
// password123, the admin with admin123.
const (
	adminHash      = "$2a$10$uCyC8MsoLNieXOq9FfLvDuL7DHZNDes.r8XSvPmA4xyWx/rw7Apzu"
	restaurantHash = "$2a$10$7zFPsuL/lo8tjpuOVIkKOu3DlAt9zga8val39Ke4o1n7JHNuLUT42"
)

// Ids a generated broken reference points to: far above anything generated.
const missingBase = 1_000_000_000

type generator struct {
	rng  *rand.Rand
	o    GenerateOptions
	base time.Time
	res  GenerateResult
}

func (g *generator) defect() bool { return g.o.Defects > 0 && g.rng.Float64() < g.o.Defects }

// ts returns the legacy timestamp i seconds after the base, or now and then an odd one.
func (g *generator) ts(i int64) any {
	t := g.base.Add(time.Duration(i) * time.Second)
	if g.defect() {
		g.res.OddTimestamps++
		switch g.rng.IntN(5) {
		case 0:
			return t.Format("2006-01-02T15:04:05Z")
		case 1:
			return t.Format("2006-01-02 15:04:05.000")
		case 2:
			return t.Format("2006-01-02")
		case 3:
			g.res.UnparseableTimestamps++
			return "not a date"
		default:
			return t.Unix()
		}
	}
	return t.Format(momentum.TimeLayout)
}

// Generate writes a synthetic legacy database to o.Out.
func Generate(ctx context.Context, o GenerateOptions) (GenerateResult, error) {
	if o.Out == "" {
		return GenerateResult{}, errors.New("no output file given: pass --out FILE")
	}
	if o.Restaurants < 0 || o.Restaurants > 50_000_000 {
		return GenerateResult{}, fmt.Errorf("--restaurants must be between 0 and 50000000, not %d", o.Restaurants)
	}
	if o.Statuses < 0 {
		o.Statuses = 10 * o.Restaurants
	}
	if o.Campaigns < 0 {
		o.Campaigns = o.Restaurants / 2
	}
	if o.Sessions < 0 {
		o.Sessions = o.Restaurants / 100
	}
	if o.Statuses > 61*o.Restaurants {
		return GenerateResult{}, fmt.Errorf("--statuses %d: at most 61 per restaurant (%d)", o.Statuses, 61*o.Restaurants)
	}
	if o.Defects < 0 || o.Defects > 1 {
		return GenerateResult{}, fmt.Errorf("--defects must be between 0 and 1, not %g", o.Defects)
	}
	if _, err := os.Stat(o.Out); err == nil {
		if !o.Force {
			return GenerateResult{}, fmt.Errorf("%s exists: choose another --out or pass --force", o.Out)
		}
		removeSQLite(o.Out)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(OFF)")
	q.Add("_pragma", "synchronous(OFF)")
	db, err := sql.Open("sqlite", sqlitefile.DSN(o.Out, q))
	if err != nil {
		return GenerateResult{}, fmt.Errorf("create %s: %w", o.Out, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range committedSchema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return GenerateResult{}, fmt.Errorf("create schema: %w", err)
		}
	}
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), o: o, base: time.Date(2025, 6, 26, 0, 0, 0, 0, time.UTC)}
	if err := g.run(ctx, db); err != nil {
		return g.res, err
	}
	// Keep the file as self-contained as the committed one.
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return g.res, err
	}
	return g.res, nil
}

// txWriter runs prepared INSERTs in shared transactions of a few thousand rows (one connection:
// several open transactions would wait on each other).
type txWriter struct {
	db    *sql.DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	n     int
}

// inserter is one prepared INSERT of a txWriter.
type inserter struct {
	w *txWriter
	q string
}

func (in *inserter) exec(ctx context.Context, args ...any) error {
	w := in.w
	if w.tx == nil {
		var err error
		if w.tx, err = w.db.BeginTx(ctx, nil); err != nil {
			return err
		}
		w.stmts = map[string]*sql.Stmt{}
	}
	st := w.stmts[in.q]
	if st == nil {
		var err error
		if st, err = w.tx.PrepareContext(ctx, in.q); err != nil {
			return err
		}
		w.stmts[in.q] = st
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("%s: %w", in.q, err)
	}
	w.n++
	if w.n%20_000 == 0 {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	w := in.w
	if w.tx == nil {
		return nil
	}
	for _, st := range w.stmts {
		st.Close()
	}
	err := w.tx.Commit()
	w.tx, w.stmts = nil, nil
	return err
}

func (g *generator) run(ctx context.Context, db *sql.DB) error {
	w := &txWriter{db: db}
	ins := func(q string) *inserter { return &inserter{w: w, q: q} }
	nR := int64(g.o.Restaurants)

	// The catalogue, with the committed file's ids (categories 73-84, items 462-522).
	cats := ins(`INSERT INTO checklist_categories (category_id, name, type, order_in_list, created_at, description, icon) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	items := ins(`INSERT INTO checklist_items (item_id, category_id, parent_item_id, title, description, guidance_link, order_in_category, is_critical, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`)
	var itemIDs []int64
	catID, itemID := int64(73), int64(462)
	for _, c := range momentum.Catalogue() {
		if err := cats.exec(ctx, catID, c.Name, c.Type, c.OrderInList, "2025-06-26 01:24:53", c.Description, c.Icon); err != nil {
			return err
		}
		g.res.Categories++
		for _, it := range c.Items {
			var crit int64
			if it.IsCritical {
				crit = 1
			}
			var link any
			if it.GuidanceLink != nil {
				link = *it.GuidanceLink
			}
			if err := items.exec(ctx, itemID, catID, it.Title, it.Description, link, it.OrderInCategory, crit, "2025-06-26 01:24:53"); err != nil {
				return err
			}
			itemIDs = append(itemIDs, itemID)
			g.res.Items++
			itemID++
		}
		catID++
	}
	if err := cats.flush(); err != nil {
		return err
	}
	if err := items.flush(); err != nil {
		return err
	}

	users := ins(`INSERT INTO users (user_id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)`)
	rests := ins(`INSERT INTO restaurants (restaurant_id, user_id, name, address, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
	tasks := ins(`INSERT INTO checklist_status (status_id, restaurant_id, checklist_item_name, is_complete, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err := users.exec(ctx, 1, "admin@momentum.com", adminHash, "admin", "2025-06-26 00:00:00"); err != nil {
		return err
	}
	g.res.Users++
	var taskID int64
	for r := int64(1); r <= nR; r++ {
		uid := r + 1
		email := fmt.Sprintf("owner%d@example.com", r)
		if r%7 == 0 {
			email = fmt.Sprintf("Owner%d@Example.com", r) // mixed case, still one account per user
		}
		if err := users.exec(ctx, uid, email, restaurantHash, "restaurant", g.ts(r*60)); err != nil {
			return err
		}
		g.res.Users++
		owner := uid
		if g.defect() {
			owner = missingBase + r
			g.res.OrphanRestaurants++
		}
		var addr, phone any = fmt.Sprintf("%d Main St", r), fmt.Sprintf("555-%04d", r%10000)
		if r%5 == 0 {
			addr, phone = "", ""
		}
		if err := rests.exec(ctx, r, owner, fmt.Sprintf("Restaurant %d", r), addr, phone, g.ts(r*60)); err != nil {
			return err
		}
		g.res.Restaurants++
		for k, name := range momentum.DefaultTasks {
			taskID++
			rid := r
			if g.defect() {
				rid = missingBase + taskID
				g.res.OrphanTasks++
			}
			var done any = int64(g.rng.IntN(2))
			if g.defect() {
				done = []any{nil, "true", "false", int64(2)}[g.rng.IntN(4)]
				if done != nil { // NULL is a legal is_complete, not an odd one
					g.res.OddFlags++
				}
			}
			if err := tasks.exec(ctx, taskID, rid, name, done, g.ts(r*60+int64(k)), g.ts(r*60+int64(k)+30)); err != nil {
				return err
			}
			g.res.Tasks++
		}
	}
	for _, in := range []*inserter{users, rests, tasks} {
		if err := in.flush(); err != nil {
			return err
		}
	}

	// Checklist statuses: row j belongs to restaurant j%N+1 and item (j/N)%61, so pairs are unique.
	sts := ins(`INSERT INTO restaurant_checklist_status (status_id, restaurant_id, item_id, status, notes, last_updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
	statuses := []string{momentum.StatusPending, momentum.StatusInProgress, momentum.StatusCompleted, momentum.StatusNotApplicable}
	for j := int64(0); j < int64(g.o.Statuses); j++ {
		rid := j%nR + 1
		item := itemIDs[(j/nR)%int64(len(itemIDs))]
		if g.defect() {
			g.res.OrphanStatuses++
			if g.rng.IntN(2) == 0 {
				rid = missingBase + j
			} else {
				item = missingBase + j
			}
		}
		var notes any
		if j%11 == 0 {
			notes = fmt.Sprintf("note %d", j)
		}
		if err := sts.exec(ctx, j+1, rid, item, statuses[g.rng.IntN(len(statuses))], notes, g.ts(j)); err != nil {
			return err
		}
		g.res.Statuses++
	}
	if err := sts.flush(); err != nil {
		return err
	}

	camps := ins(`INSERT INTO campaigns (campaign_id, restaurant_id, campaign_type, status, name, details, budget, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	cstatus := []string{momentum.CampaignActive, momentum.CampaignDraft, momentum.CampaignCompleted, momentum.CampaignPaused}
	for c := int64(1); c <= int64(g.o.Campaigns); c++ {
		rid := (c-1)%max(nR, 1) + 1
		if g.defect() || nR == 0 {
			rid = missingBase + c
			g.res.OrphanCampaigns++
		}
		typ := momentum.CampaignAd
		if c%2 == 0 {
			typ = momentum.CampaignSMS
		}
		var details any = fmt.Sprintf(`{"offer":"%d%% off","targets":[%d,%d],"nested":{"ok":true,"ratio":0.5}}`, c%50, c, c+1)
		switch {
		case g.defect():
			g.res.InvalidJSON++
			details = []any{`{"offer": "unterminated`, `not json at all`, `{'single':'quotes'}`}[g.rng.IntN(3)]
		case c%13 == 0:
			details = fmt.Sprintf("{\n  \"offer\": \"%d%% off\",\n  \"pretty\": true\n}", c%50)
		case c%17 == 0:
			details = nil
		}
		var budget any = float64(c%500) + 0.5
		if c%3 == 0 {
			budget = int64(c % 500)
		} else if c%10 == 0 {
			budget = nil
		}
		if err := camps.exec(ctx, c, rid, typ, cstatus[g.rng.IntN(len(cstatus))], fmt.Sprintf("Campaign %d", c), details, budget, g.ts(c*30), g.ts(c*30+5)); err != nil {
			return err
		}
		g.res.Campaigns++
	}
	if err := camps.flush(); err != nil {
		return err
	}

	sess := ins(`INSERT INTO sessions (session_id, user_id, impersonating_restaurant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
	for s := int64(1); s <= int64(g.o.Sessions); s++ {
		var imp any
		if s%2 == 0 && nR > 0 {
			imp = (s-1)%nR + 1
		}
		uid := int64(1)
		if g.defect() {
			uid = missingBase + s
			g.res.OrphanSessions++
		}
		id := fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
		// Far in the future, so a TTL index on a real MongoDB does not remove them before a verify.
		exp := g.base.AddDate(50, 0, int(s)).Format(momentum.TimeLayout)
		if err := sess.exec(ctx, id, uid, imp, g.ts(s), exp); err != nil {
			return err
		}
		g.res.Sessions++
	}
	return sess.flush()
}
