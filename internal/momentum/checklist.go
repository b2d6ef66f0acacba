package momentum

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// catalogue is an immutable snapshot of the checklist catalogue. It changes only when the seed runs, so
// it is served from memory instead of being read on every request.
type catalogue struct {
	categories []Category
	items      []Item // by category order, then order_in_category
	byCategory map[int64][]Item
	itemByID   map[int64]*Item
	catByID    map[int64]*Category
	loadedAt   time.Time
	version    uint64
}

// catalogueCache holds the current snapshot. Readers take it without locking; a reload is serialised
// so an expired snapshot triggers one store read, not one per concurrent request.
type catalogueCache struct {
	cur      atomic.Pointer[catalogue]
	reload   sync.Mutex
	versions uint64 // guarded by reload
}

func (s *Service) catalogue(ctx context.Context) (*catalogue, error) {
	now := s.clk.Now()
	if c := s.cat.cur.Load(); c != nil && now.Sub(c.loadedAt) < s.cfg.CatalogueTTL {
		return c, nil
	}
	s.cat.reload.Lock()
	defer s.cat.reload.Unlock()
	if c := s.cat.cur.Load(); c != nil && now.Sub(c.loadedAt) < s.cfg.CatalogueTTL {
		return c, nil
	}
	cats, err := s.store.Categories(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("load checklist categories: %w", err)
	}
	items, err := s.store.Items(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("load checklist items: %w", err)
	}
	s.cat.versions++
	c := &catalogue{categories: cats, items: items, byCategory: map[int64][]Item{}, itemByID: map[int64]*Item{}, catByID: map[int64]*Category{}, loadedAt: now, version: s.cat.versions}
	for i := range cats {
		c.catByID[cats[i].ID] = &cats[i]
	}
	for i := range items {
		it := &items[i]
		c.byCategory[it.CategoryID] = append(c.byCategory[it.CategoryID], *it)
		c.itemByID[it.ID] = it
	}
	s.cat.cur.Store(c)
	return c, nil
}

// InvalidateCatalogue drops the cached catalogue (after a seed in this process).
func (s *Service) InvalidateCatalogue() {
	s.cat.cur.Store(nil)
}

// ValidType reports whether t is a category type filter: empty (all) or one of the two types.
func ValidType(t string) bool { return t == "" || t == TypeFoundational || t == TypeOngoing }

func checkType(t string) error {
	if !ValidType(t) {
		return invalid("type must be foundational or ongoing")
	}
	return nil
}

// Categories lists the catalogue's categories of one type (or all).
func (s *Service) Categories(ctx context.Context, typ string) ([]Category, error) {
	if err := checkType(typ); err != nil {
		return nil, err
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Category, 0, len(c.categories))
	for _, cat := range c.categories {
		if typ == "" || cat.Type == typ {
			out = append(out, cat)
		}
	}
	return out, nil
}

// CategoryItems lists one category's items.
func (s *Service) CategoryItems(ctx context.Context, categoryID int64) ([]Item, error) {
	c, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := c.catByID[categoryID]; !ok {
		return nil, notFound("Category not found")
	}
	return c.byCategory[categoryID], nil
}

// Statuses lists the checklist progress rows of the restaurant ref names (a restaurant owner: their own,
// whatever ref names).
func (s *Service) Statuses(ctx context.Context, p *Principal, ref RestaurantRef) ([]StatusDetail, error) {
	r, err := s.restaurantFor(ctx, p, ActChecklist, ref)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Statuses(ctx, r.ID)
	if err != nil {
		return nil, fmt.Errorf("statuses of %d: %w", r.ID, err)
	}
	return list, nil
}

// ValidStatus reports whether st is an item status.
func ValidStatus(st string) bool {
	switch st {
	case StatusPending, StatusInProgress, StatusCompleted, StatusNotApplicable:
		return true
	}
	return false
}

// MaxNotesLen bounds checklist notes.
const MaxNotesLen = 2000

// SetStatus records the progress of the restaurant ref names (a restaurant owner: their own) on one
// catalogue item. The row keeps its id across updates.
func (s *Service) SetStatus(ctx context.Context, p *Principal, ref RestaurantRef, itemID int64, status string, notes *string) (ItemStatus, error) {
	if !ValidStatus(status) {
		return ItemStatus{}, invalid("Invalid status value")
	}
	if notes != nil {
		if len([]rune(*notes)) > MaxNotesLen {
			return ItemStatus{}, invalid(fmt.Sprintf("notes must be at most %d characters", MaxNotesLen))
		}
		if strings.TrimSpace(*notes) == "" {
			notes = nil // legacy: falsy notes are stored as NULL
		}
	}
	r, err := s.restaurantFor(ctx, p, ActChecklist, ref)
	if err != nil {
		return ItemStatus{}, err
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return ItemStatus{}, err
	}
	if _, ok := c.itemByID[itemID]; !ok {
		// The cache may predate a seed that added the item: confirm with the store before refusing.
		if _, err := s.store.ItemByID(ctx, itemID); errors.Is(err, ErrNotFound) {
			return ItemStatus{}, notFound("Checklist item not found")
		} else if err != nil {
			return ItemStatus{}, fmt.Errorf("item %d: %w", itemID, err)
		}
	}
	st, err := s.store.UpsertStatus(ctx, r.ID, itemID, status, notes, s.now())
	if err != nil {
		return ItemStatus{}, fmt.Errorf("set status of item %d for %d: %w", itemID, r.ID, err)
	}
	return st, nil
}

// TypeProgress is the progress of one category type.
type TypeProgress struct {
	TotalItems, CompletedItems, CompletionPercentage                 int
	CriticalItems, CompletedCriticalItems, CriticalCompletionPercent int
}

// Progress computes the completion of the restaurant ref names (a restaurant owner: their own) per
// category type (one type, or all present).
func (s *Service) Progress(ctx context.Context, p *Principal, ref RestaurantRef, typ string) (map[string]TypeProgress, error) {
	if err := checkType(typ); err != nil {
		return nil, err
	}
	r, err := s.restaurantFor(ctx, p, ActChecklist, ref)
	if err != nil {
		return nil, err
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	statuses, err := s.store.ItemStatuses(ctx, r.ID)
	if err != nil {
		return nil, fmt.Errorf("progress of %d: %w", r.ID, err)
	}
	done := make(map[int64]bool, len(statuses))
	for _, st := range statuses {
		if st.Status == StatusCompleted {
			done[st.ItemID] = true
		}
	}
	out := map[string]TypeProgress{}
	for _, it := range c.items {
		cat := c.catByID[it.CategoryID]
		if cat == nil || (typ != "" && cat.Type != typ) {
			continue
		}
		tp := out[cat.Type]
		tp.TotalItems++
		if done[it.ID] {
			tp.CompletedItems++
		}
		if it.IsCritical {
			tp.CriticalItems++
			if done[it.ID] {
				tp.CompletedCriticalItems++
			}
		}
		out[cat.Type] = tp
	}
	for k, tp := range out {
		tp.CompletionPercentage = percent(tp.CompletedItems, tp.TotalItems)
		tp.CriticalCompletionPercent = percent(tp.CompletedCriticalItems, tp.CriticalItems)
		out[k] = tp
	}
	return out, nil
}

// percent rounds half up like JavaScript's Math.round (all values here are non-negative).
func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return int(math.Floor(float64(part)*100/float64(whole) + 0.5))
}

// ItemWithStatus is a catalogue item with one restaurant's status on it (nil fields: no status row, or
// no restaurant asked for).
type ItemWithStatus struct {
	*Item
	Status          *string
	Notes           *string
	StatusUpdatedAt *time.Time
}

// CategoryWithItems is one category of GET /api/checklist/categories-with-items.
type CategoryWithItems struct {
	*Category
	Items []ItemWithStatus
}

// CatalogueWithStatuses is the catalogue with one restaurant's statuses merged in. Version identifies
// the catalogue snapshot: the same version means the same categories and items (pointers included), so
// a caller may cache what it derives from them per version.
type CatalogueWithStatuses struct {
	Version    uint64
	Categories []CategoryWithItems
}

// CategoriesWithItems returns the catalogue with the statuses of the restaurant ref names merged in (ref
// nil: without; a restaurant owner always gets their own, see scopeNamed).
func (s *Service) CategoriesWithItems(ctx context.Context, p *Principal, typ string, ref *RestaurantRef) (CatalogueWithStatuses, error) {
	if err := checkType(typ); err != nil {
		return CatalogueWithStatuses{}, err
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return CatalogueWithStatuses{}, err
	}
	var byItem map[int64]*ItemStatus
	if ref == nil {
		if err := Can(p, ActReadCatalogue); err != nil {
			return CatalogueWithStatuses{}, err
		}
	} else {
		r, err := s.restaurantFor(ctx, p, ActChecklist, *ref)
		if err != nil {
			return CatalogueWithStatuses{}, err
		}
		statuses, err := s.store.ItemStatuses(ctx, r.ID)
		if err != nil {
			return CatalogueWithStatuses{}, fmt.Errorf("statuses of %d: %w", r.ID, err)
		}
		byItem = make(map[int64]*ItemStatus, len(statuses))
		for i := range statuses {
			byItem[statuses[i].ItemID] = &statuses[i]
		}
	}
	out := make([]CategoryWithItems, 0, len(c.categories))
	for i := range c.categories {
		cat := &c.categories[i]
		if typ != "" && cat.Type != typ {
			continue
		}
		items := c.byCategory[cat.ID]
		cw := CategoryWithItems{Category: cat, Items: make([]ItemWithStatus, len(items))}
		for j := range items {
			iw := ItemWithStatus{Item: &items[j]}
			if st := byItem[items[j].ID]; st != nil {
				iw.Status, iw.Notes, iw.StatusUpdatedAt = &st.Status, st.Notes, &st.LastUpdatedAt
			}
			cw.Items[j] = iw
		}
		out = append(out, cw)
	}
	return CatalogueWithStatuses{Version: c.version, Categories: out}, nil
}

// EnsureCatalogue seeds the checklist catalogue when the database has none (first start).
func (s *Service) EnsureCatalogue(ctx context.Context) (bool, error) {
	empty, err := s.store.CatalogueEmpty(ctx)
	if err != nil {
		return false, fmt.Errorf("check catalogue: %w", err)
	}
	if !empty {
		return false, nil
	}
	if _, err := s.store.SeedCatalogue(ctx, Catalogue(), s.now()); err != nil {
		return false, fmt.Errorf("seed catalogue: %w", err)
	}
	s.InvalidateCatalogue()
	return true, nil
}

// SeedCatalogue re-creates the catalogue in place, keeping ids and every restaurant's progress.
func (s *Service) SeedCatalogue(ctx context.Context) (SeedResult, error) {
	res, err := s.store.SeedCatalogue(ctx, Catalogue(), s.now())
	if err != nil {
		return res, fmt.Errorf("seed catalogue: %w", err)
	}
	s.InvalidateCatalogue()
	return res, nil
}
