package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

func scanTask(sc rowScanner) (momentum.Task, error) {
	var t momentum.Task
	err := sc.Scan(&t.ID, &t.RestaurantID, &t.Name, isCompleteCol{&t.IsComplete}, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt})
	return t, err
}

func scanCategory(sc rowScanner) (momentum.Category, error) {
	var c momentum.Category
	var desc, icon sql.NullString
	err := sc.Scan(&c.ID, &c.Name, &desc, &icon, &c.Type, &c.OrderInList, timeCol{&c.CreatedAt})
	c.Description, c.Icon = strPtr(desc), strPtr(icon)
	return c, err
}

func scanItem(sc rowScanner) (momentum.Item, error) {
	var it momentum.Item
	var parent sql.NullInt64
	var desc, link sql.NullString
	err := sc.Scan(&it.ID, &it.CategoryID, &parent, &it.Title, &desc, &link, &it.OrderInCategory, boolCol{&it.IsCritical}, timeCol{&it.CreatedAt})
	it.ParentItemID, it.Description, it.GuidanceLink = intPtr(parent), strPtr(desc), strPtr(link)
	return it, err
}

// collect scans every row with scan; a query without rows gives an empty, non-nil slice.
func collect[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PendingTasks returns up to limit tasks with is_complete = 0, oldest first (limit <= 0: all).
func (s *Store) PendingTasks(ctx context.Context, restaurantID int64, limit int) ([]momentum.Task, error) {
	tasks, err := sqlitefile.Query(ctx, s.snap, qPendingTasks, []any{restaurantID, sqlLimit(limit)}, scanTask)
	if err != nil {
		return nil, fmt.Errorf("load pending tasks of restaurant %d: %w", restaurantID, err)
	}
	return tasks, nil
}

// SetTaskComplete sets is_complete to 0 or 1 on one task of the restaurant (ticks.go).
func (s *Store) SetTaskComplete(ctx context.Context, restaurantID, taskID int64, complete bool, now time.Time) error {
	t := newTick(taskID, complete, now)
	t.restaurantID = restaurantID
	return s.doTick(ctx, t)
}

// SetTaskCompleteAs reads the account in the tick's own write transaction, on the writer: a read
// transaction on a reader connection of its own cost the tick a sixth of its CPU, and after every
// commit (the ticks' own included) the reader's kept account is stale and read again anyway.
func (s *Store) SetTaskCompleteAs(ctx context.Context, userID, taskID int64, complete bool, now time.Time,
	allow func(a momentum.AccountRole, ok bool) (int64, error)) error {
	t := newTick(taskID, complete, now)
	t.userID, t.allow = userID, allow
	return s.doTick(ctx, t)
}

// CountRestaurantsWithPendingTasks counts distinct restaurants with a task at is_complete = 0.
func (s *Store) CountRestaurantsWithPendingTasks(ctx context.Context) (int64, error) {
	var n int64
	if err := s.q.countPending.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("count restaurants with pending tasks: %w", err)
	}
	return n, nil
}

// Categories lists categories by order_in_list (typ "" for all).
func (s *Store) Categories(ctx context.Context, typ string) ([]momentum.Category, error) {
	rows, err := s.q.categories.QueryContext(ctx, typ)
	cats, err := collect(rows, err, scanCategory)
	if err != nil {
		return nil, fmt.Errorf("load categories: %w", err)
	}
	return cats, nil
}

// Items lists items by category order then order in category (typ "" for all).
func (s *Store) Items(ctx context.Context, typ string) ([]momentum.Item, error) {
	rows, err := s.q.items.QueryContext(ctx, typ)
	items, err := collect(rows, err, scanItem)
	if err != nil {
		return nil, fmt.Errorf("load items: %w", err)
	}
	return items, nil
}

// ItemsByCategory lists one category's items by order_in_category.
func (s *Store) ItemsByCategory(ctx context.Context, categoryID int64) ([]momentum.Item, error) {
	rows, err := s.q.itemsByCategory.QueryContext(ctx, categoryID)
	items, err := collect(rows, err, scanItem)
	if err != nil {
		return nil, fmt.Errorf("load items of category %d: %w", categoryID, err)
	}
	return items, nil
}

// CategoryByID returns one category.
func (s *Store) CategoryByID(ctx context.Context, id int64) (momentum.Category, error) {
	c, err := scanCategory(s.q.categoryByID.QueryRowContext(ctx, id))
	if err != nil {
		return momentum.Category{}, fmt.Errorf("load category %d: %w", id, notFound(err))
	}
	return c, nil
}

// ItemByID returns one item.
func (s *Store) ItemByID(ctx context.Context, id int64) (momentum.Item, error) {
	it, err := scanItem(s.q.itemByID.QueryRowContext(ctx, id))
	if err != nil {
		return momentum.Item{}, fmt.Errorf("load item %d: %w", id, notFound(err))
	}
	return it, nil
}

// CatalogueEmpty reports whether there is no category.
func (s *Store) CatalogueEmpty(ctx context.Context) (bool, error) {
	var empty bool
	if err := s.q.catalogueEmpty.QueryRowContext(ctx).Scan(&empty); err != nil {
		return false, fmt.Errorf("check catalogue: %w", err)
	}
	return empty, nil
}

// ErrInvalidSeed wraps what is wrong with a catalogue given to SeedCatalogue.
var ErrInvalidSeed = errors.New("invalid catalogue seed")

func validateSeed(cats []momentum.SeedCategory) error {
	names := map[string]bool{}
	for _, c := range cats {
		if c.Name == "" {
			return fmt.Errorf("%w: a category has no name", ErrInvalidSeed)
		}
		if names[c.Name] {
			return fmt.Errorf("%w: category %q twice", ErrInvalidSeed, c.Name)
		}
		names[c.Name] = true
		if c.Type != momentum.TypeFoundational && c.Type != momentum.TypeOngoing {
			return fmt.Errorf("%w: category %q has type %q", ErrInvalidSeed, c.Name, c.Type)
		}
		titles := map[string]bool{}
		for _, it := range c.Items {
			if it.Title == "" {
				return fmt.Errorf("%w: an item of %q has no title", ErrInvalidSeed, c.Name)
			}
			if titles[it.Title] {
				return fmt.Errorf("%w: item %q twice in %q", ErrInvalidSeed, it.Title, c.Name)
			}
			titles[it.Title] = true
		}
	}
	return nil
}

type itemKey struct {
	categoryID int64
	title      string
}

// SeedCatalogue creates or updates categories (by name) and items (by category and title) in one
// transaction. Ids, created_at and restaurant_checklist_status are left alone, and nothing is
// deleted, unlike the legacy seed script (contract 7.5).
func (s *Store) SeedCatalogue(ctx context.Context, cats []momentum.SeedCategory, now time.Time) (momentum.SeedResult, error) {
	if err := validateSeed(cats); err != nil {
		return momentum.SeedResult{}, err
	}
	ts := formatTime(now)
	var res momentum.SeedResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = momentum.SeedResult{}
		existingCats := map[string]momentum.Category{}
		rows, err := tx.QueryContext(ctx, `SELECT `+categoryCols+` FROM checklist_categories ORDER BY category_id`)
		all, err := collect(rows, err, scanCategory)
		if err != nil {
			return fmt.Errorf("load categories: %w", err)
		}
		for _, c := range all {
			if _, dup := existingCats[c.Name]; !dup { // a legacy duplicate name: the oldest wins
				existingCats[c.Name] = c
			}
		}
		existingItems := map[itemKey]momentum.Item{}
		rows, err = tx.QueryContext(ctx, `SELECT `+itemCols+` FROM checklist_items ORDER BY item_id`)
		items, err := collect(rows, err, scanItem)
		if err != nil {
			return fmt.Errorf("load items: %w", err)
		}
		for _, it := range items {
			k := itemKey{it.CategoryID, it.Title}
			if _, dup := existingItems[k]; !dup {
				existingItems[k] = it
			}
		}

		for _, sc := range cats {
			catID, err := seedCategory(ctx, tx, sc, existingCats, ts, &res)
			if err != nil {
				return err
			}
			for _, si := range sc.Items {
				if err := seedItem(ctx, tx, catID, si, existingItems, ts, &res); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return momentum.SeedResult{}, fmt.Errorf("seed catalogue: %w", err)
	}
	return res, nil
}

func seedCategory(ctx context.Context, tx *sql.Tx, sc momentum.SeedCategory, existing map[string]momentum.Category, ts string, res *momentum.SeedResult) (int64, error) {
	cur, ok := existing[sc.Name]
	if !ok {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO checklist_categories (name, description, icon, type, order_in_list, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING category_id`,
			sc.Name, sc.Description, sc.Icon, sc.Type, sc.OrderInList, ts).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("insert category %q: %w", sc.Name, err)
		}
		res.CategoriesCreated++
		return id, nil
	}
	if eqStr(cur.Description, sc.Description) && eqStr(cur.Icon, sc.Icon) && cur.Type == sc.Type && cur.OrderInList == sc.OrderInList {
		return cur.ID, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE checklist_categories SET description = ?, icon = ?, type = ?, order_in_list = ? WHERE category_id = ?`,
		sc.Description, sc.Icon, sc.Type, sc.OrderInList, cur.ID); err != nil {
		return 0, fmt.Errorf("update category %q: %w", sc.Name, err)
	}
	res.CategoriesUpdated++
	return cur.ID, nil
}

func seedItem(ctx context.Context, tx *sql.Tx, catID int64, si momentum.SeedItem, existing map[itemKey]momentum.Item, ts string, res *momentum.SeedResult) error {
	critical := 0
	if si.IsCritical {
		critical = 1
	}
	cur, ok := existing[itemKey{catID, si.Title}]
	if !ok {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checklist_items (category_id, parent_item_id, title, description, guidance_link, order_in_category, is_critical, created_at)
			VALUES (?, NULL, ?, ?, ?, ?, ?, ?)`,
			catID, si.Title, si.Description, nullStr(si.GuidanceLink), si.OrderInCategory, critical, ts); err != nil {
			return fmt.Errorf("insert item %q: %w", si.Title, err)
		}
		res.ItemsCreated++
		return nil
	}
	if eqStr(cur.Description, si.Description) && eqPtr(cur.GuidanceLink, si.GuidanceLink) && cur.OrderInCategory == si.OrderInCategory && cur.IsCritical == si.IsCritical {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE checklist_items SET description = ?, guidance_link = ?, order_in_category = ?, is_critical = ? WHERE item_id = ?`,
		si.Description, nullStr(si.GuidanceLink), si.OrderInCategory, critical, cur.ID); err != nil {
		return fmt.Errorf("update item %q: %w", si.Title, err)
	}
	res.ItemsUpdated++
	return nil
}

func eqStr(p *string, v string) bool { return p != nil && *p == v }

func eqPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// Statuses lists a restaurant's statuses joined with their item and category, by item id. A status
// whose item no longer exists is left out, as the legacy JOIN did.
func (s *Store) Statuses(ctx context.Context, restaurantID int64) ([]momentum.StatusDetail, error) {
	rows, err := s.q.statuses.QueryContext(ctx, restaurantID)
	out, err := collect(rows, err, func(sc rowScanner) (momentum.StatusDetail, error) {
		var d momentum.StatusDetail
		var notes sql.NullString
		err := sc.Scan(&d.ID, &d.RestaurantID, &d.ItemID, &d.Status, &notes, timeCol{&d.LastUpdatedAt},
			&d.Title, &d.CategoryID, &d.CategoryName, &d.CategoryType)
		d.Notes = strPtr(notes)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("load statuses of restaurant %d: %w", restaurantID, err)
	}
	return out, nil
}

// ItemStatuses lists a restaurant's statuses by item id, without joining items and categories.
func (s *Store) ItemStatuses(ctx context.Context, restaurantID int64) ([]momentum.ItemStatus, error) {
	out, err := sqlitefile.Query(ctx, s.snap, qItemStatuses, []any{restaurantID}, func(sc sqlitefile.Row) (momentum.ItemStatus, error) {
		var st momentum.ItemStatus
		var notes sql.NullString
		err := sc.Scan(&st.ID, &st.RestaurantID, &st.ItemID, &st.Status, &notes, timeCol{&st.LastUpdatedAt})
		st.Notes = strPtr(notes)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("load item statuses of restaurant %d: %w", restaurantID, err)
	}
	return out, nil
}

// UpsertStatus inserts or updates one (restaurant, item) status in a single statement, keeping its
// status_id (the legacy INSERT OR REPLACE handed out a new id every time, contract 7.5).
func (s *Store) UpsertStatus(ctx context.Context, restaurantID, itemID int64, status string, notes *string, now time.Time) (momentum.ItemStatus, error) {
	var st momentum.ItemStatus
	var n sql.NullString
	err := s.w.QueryRowContext(ctx, `INSERT INTO restaurant_checklist_status (restaurant_id, item_id, status, notes, last_updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (restaurant_id, item_id) DO UPDATE SET
			status = excluded.status, notes = excluded.notes, last_updated_at = excluded.last_updated_at
		RETURNING `+statusCols,
		restaurantID, itemID, status, nullStr(notes), formatTime(now)).
		Scan(&st.ID, &st.RestaurantID, &st.ItemID, &st.Status, &n, timeCol{&st.LastUpdatedAt})
	if err != nil {
		return momentum.ItemStatus{}, fmt.Errorf("upsert status of item %d for restaurant %d: %w", itemID, restaurantID, err)
	}
	st.Notes = strPtr(n)
	return st, nil
}
