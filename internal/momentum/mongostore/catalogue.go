package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// Categories lists categories by order_in_list (then id); typ "" means all.
func (s *Store) Categories(ctx context.Context, typ string) ([]momentum.Category, error) {
	ds, err := s.categoryDocs(ctx, typ)
	if err != nil {
		return nil, err
	}
	out := make([]momentum.Category, len(ds))
	for i, d := range ds {
		out[i] = d.category()
	}
	return out, nil
}

func (s *Store) categoryDocs(ctx context.Context, typ string) ([]categoryDoc, error) {
	filter := bson.D{}
	if typ != "" {
		filter = bson.D{{Key: "type", Value: typ}}
	}
	var ds []categoryDoc
	if err := findAll(ctx, s.categories, filter, &ds, options.Find().SetSort(sortAsc("order_in_list", "category_id"))); err != nil {
		return nil, err
	}
	return ds, nil
}

// Items lists items of categories of type typ ("" = all) by category order, then order_in_category.
// Like the legacy JOIN, an item whose category is missing is not listed.
func (s *Store) Items(ctx context.Context, typ string) ([]momentum.Item, error) {
	cats, err := s.categoryDocs(ctx, typ)
	if err != nil {
		return nil, err
	}
	pos := make(map[int64]int, len(cats))
	ids := make([]int64, len(cats))
	for i, c := range cats {
		pos[c.CategoryID] = i
		ids[i] = c.CategoryID
	}
	var ds []itemDoc
	if len(ids) > 0 {
		if err := findAll(ctx, s.items, bson.D{{Key: "category_id", Value: bson.D{{Key: "$in", Value: ids}}}}, &ds); err != nil {
			return nil, err
		}
	}
	sort.Slice(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if pa, pb := pos[a.CategoryID], pos[b.CategoryID]; pa != pb {
			return pa < pb
		}
		if a.OrderInCategory != b.OrderInCategory {
			return a.OrderInCategory < b.OrderInCategory
		}
		return a.ItemID < b.ItemID
	})
	out := make([]momentum.Item, len(ds))
	for i, d := range ds {
		out[i] = d.item()
	}
	return out, nil
}

// ItemsByCategory lists one category's items by order_in_category (then id).
func (s *Store) ItemsByCategory(ctx context.Context, categoryID int64) ([]momentum.Item, error) {
	var ds []itemDoc
	if err := findAll(ctx, s.items, bson.D{{Key: "category_id", Value: categoryID}}, &ds,
		options.Find().SetSort(sortAsc("order_in_category", "item_id"))); err != nil {
		return nil, err
	}
	out := make([]momentum.Item, len(ds))
	for i, d := range ds {
		out[i] = d.item()
	}
	return out, nil
}

// CategoryByID returns one category.
func (s *Store) CategoryByID(ctx context.Context, id int64) (momentum.Category, error) {
	var d categoryDoc
	if err := findOne(ctx, s.categories, bson.D{{Key: "category_id", Value: id}}, &d, fmt.Sprintf("category %d", id)); err != nil {
		return momentum.Category{}, err
	}
	return d.category(), nil
}

// ItemByID returns one item.
func (s *Store) ItemByID(ctx context.Context, id int64) (momentum.Item, error) {
	var d itemDoc
	if err := findOne(ctx, s.items, bson.D{{Key: "item_id", Value: id}}, &d, fmt.Sprintf("item %d", id)); err != nil {
		return momentum.Item{}, err
	}
	return d.item(), nil
}

// CatalogueEmpty reports whether there is no category.
func (s *Store) CatalogueEmpty(ctx context.Context) (bool, error) {
	has, err := exists(ctx, s.categories, bson.D{})
	return !has, err
}

// SeedCatalogue creates or updates the catalogue in place: categories matched by name, items by
// (category, title). Ids, created_at and every restaurant's progress are kept; items no longer in
// the seed are kept too. Each write is a single-document write, so a crash part-way leaves a
// partial catalogue that the next run completes.
//
// One seed runs at a time per database (see claimSeed). Without it, concurrent seeds of an empty
// database each created the catalogue (three of a 3-category catalogue made 9 categories), and of
// three instances started at once on FerretDB one failed its start-up: the non-atomic counter kept
// handing the three seeds the same item ids.
func (s *Store) SeedCatalogue(ctx context.Context, cats []momentum.SeedCategory, now time.Time) (momentum.SeedResult, error) {
	now = ts(now)
	var res momentum.SeedResult
	release, err := s.claimSeed(ctx)
	if err != nil {
		return res, err
	}
	defer release()
	existing, err := s.categoryDocs(ctx, "")
	if err != nil {
		return res, err
	}
	byName := map[string]categoryDoc{}
	for _, c := range existing { // sorted, so a duplicated legacy name resolves to the first
		if _, ok := byName[c.Name]; !ok {
			byName[c.Name] = c
		}
	}
	for _, sc := range cats {
		desc, icon := sc.Description, sc.Icon
		cur, found := byName[sc.Name]
		var catID int64
		if !found {
			d := categoryDoc{Name: sc.Name, Description: &desc, Icon: &icon, Type: sc.Type, OrderInList: sc.OrderInList, CreatedAt: now}
			catID, err = s.insertWithID(ctx, s.categories, collCategories, "category_id", func(id int64) any {
				d.CategoryID = id
				return d
			})
			if err != nil {
				return res, fmt.Errorf("seed category %q: %w", sc.Name, err)
			}
			res.CategoriesCreated++
		} else {
			catID = cur.CategoryID
			if !eqStr(cur.Description, desc) || !eqStr(cur.Icon, icon) || cur.Type != sc.Type || cur.OrderInList != sc.OrderInList {
				_, err := s.categories.UpdateOne(ctx, bson.D{{Key: "category_id", Value: catID}}, bson.D{{Key: "$set", Value: bson.D{
					{Key: "description", Value: desc}, {Key: "icon", Value: icon}, {Key: "type", Value: sc.Type}, {Key: "order_in_list", Value: sc.OrderInList},
				}}})
				if err != nil {
					return res, fmt.Errorf("update category %d: %w", catID, err)
				}
				res.CategoriesUpdated++
			}
		}
		created, updated, err := s.seedItems(ctx, catID, sc.Items, now)
		res.ItemsCreated += created
		res.ItemsUpdated += updated
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// seedClaimID is the counters document a catalogue seed holds while it runs. Inserting it is atomic on
// _id on every server (FerretDB included), unlike a read-then-write, so it is the seeds' mutex.
const seedClaimID = "catalogue_seed"

// seedClaimPoll is how often a seed waiting for another one looks again. A first seed takes about a
// second on FerretDB, far less on MongoDB.
const seedClaimPoll = 50 * time.Millisecond

// claimSeed waits until no other seed runs, then holds the claim until release is called. The waiting
// matters: an instance that went on while another seeded would cache a partial catalogue. A claim
// older than the pending grace period belongs to a seed that crashed and is taken over. Claim times
// are the wall clock, since waiting is real time.
func (s *Store) claimSeed(ctx context.Context) (release func(), err error) {
	token := bson.NewObjectID()
	for {
		now := time.Now().UTC()
		_, err := s.counters.InsertOne(ctx, bson.D{{Key: "_id", Value: seedClaimID}, {Key: "token", Value: token}, {Key: "at", Value: now}})
		if err == nil {
			return func() {
				cctx, cancel := cleanupContext(ctx)
				defer cancel()
				_, _ = s.counters.DeleteOne(cctx, bson.D{{Key: "_id", Value: seedClaimID}, {Key: "token", Value: token}})
			}, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("claim catalogue seed: %w", err)
		}
		var claim struct {
			Token bson.ObjectID `bson:"token"`
			At    time.Time     `bson:"at"`
		}
		switch err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: seedClaimID}}).Decode(&claim); {
		case errors.Is(err, mongo.ErrNoDocuments):
			continue // released meanwhile
		case err != nil:
			return nil, fmt.Errorf("load catalogue seed claim: %w", err)
		}
		if now.Sub(claim.At) >= s.grace {
			if _, err := s.counters.DeleteOne(ctx, bson.D{{Key: "_id", Value: seedClaimID}, {Key: "token", Value: claim.Token}}); err != nil {
				return nil, fmt.Errorf("take over stale catalogue seed claim: %w", err)
			}
			continue
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the catalogue seed of another instance: %w", ctx.Err())
		case <-time.After(seedClaimPoll):
		}
	}
}

func (s *Store) seedItems(ctx context.Context, catID int64, items []momentum.SeedItem, now time.Time) (created, updated int, err error) {
	var existing []itemDoc
	if err := findAll(ctx, s.items, bson.D{{Key: "category_id", Value: catID}}, &existing, options.Find().SetSort(sortAsc("item_id"))); err != nil {
		return 0, 0, err
	}
	byTitle := map[string]itemDoc{}
	for _, it := range existing {
		if _, ok := byTitle[it.Title]; !ok {
			byTitle[it.Title] = it
		}
	}
	for _, si := range items {
		desc := si.Description
		link := copyStr(si.GuidanceLink)
		cur, found := byTitle[si.Title]
		if !found {
			d := itemDoc{CategoryID: catID, Title: si.Title, Description: &desc, GuidanceLink: link, OrderInCategory: si.OrderInCategory, IsCritical: si.IsCritical, CreatedAt: now}
			if _, err := s.insertWithID(ctx, s.items, collItems, "item_id", func(id int64) any {
				d.ItemID = id
				return d
			}); err != nil {
				return created, updated, fmt.Errorf("seed item %q: %w", si.Title, err)
			}
			created++
			continue
		}
		if eqStr(cur.Description, desc) && eqStrPtr(cur.GuidanceLink, link) && cur.OrderInCategory == si.OrderInCategory && cur.IsCritical == si.IsCritical {
			continue
		}
		_, err := s.items.UpdateOne(ctx, bson.D{{Key: "item_id", Value: cur.ItemID}}, bson.D{{Key: "$set", Value: bson.D{
			{Key: "description", Value: desc}, {Key: "guidance_link", Value: link},
			{Key: "order_in_category", Value: si.OrderInCategory}, {Key: "is_critical", Value: si.IsCritical},
		}}})
		if err != nil {
			return created, updated, fmt.Errorf("update item %d: %w", cur.ItemID, err)
		}
		updated++
	}
	return created, updated, nil
}

func eqStr(p *string, s string) bool { return p != nil && *p == s }

func eqStrPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func copyStr(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// ItemStatuses lists a restaurant's statuses by item id, without looking up items and categories.
func (s *Store) ItemStatuses(ctx context.Context, restaurantID int64) ([]momentum.ItemStatus, error) {
	var sts []statusDoc
	if err := findAll(ctx, s.statuses, bson.D{{Key: "restaurant_id", Value: restaurantID}}, &sts,
		options.Find().SetSort(sortAsc("item_id"))); err != nil {
		return nil, err
	}
	out := make([]momentum.ItemStatus, len(sts))
	for i, d := range sts {
		out[i] = d.itemStatus()
	}
	return out, nil
}

// Statuses lists a restaurant's item statuses joined with item and category, by item id. The joins
// are second queries by id ($lookup is missing on FerretDB v1); like the legacy INNER JOIN, a status
// whose item or category is missing is not listed.
func (s *Store) Statuses(ctx context.Context, restaurantID int64) ([]momentum.StatusDetail, error) {
	var sts []statusDoc
	if err := findAll(ctx, s.statuses, bson.D{{Key: "restaurant_id", Value: restaurantID}}, &sts,
		options.Find().SetSort(sortAsc("item_id"))); err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return []momentum.StatusDetail{}, nil
	}
	itemIDs := make([]int64, len(sts))
	for i, st := range sts {
		itemIDs[i] = st.ItemID
	}
	items := map[int64]itemDoc{}
	for _, chunk := range inChunks(itemIDs, 1000) {
		var ds []itemDoc
		if err := findAll(ctx, s.items, bson.D{{Key: "item_id", Value: bson.D{{Key: "$in", Value: chunk}}}}, &ds,
			options.Find().SetProjection(bson.D{{Key: "item_id", Value: 1}, {Key: "category_id", Value: 1}, {Key: "title", Value: 1}})); err != nil {
			return nil, err
		}
		for _, d := range ds {
			items[d.ItemID] = d
		}
	}
	var catIDs []int64
	seen := map[int64]bool{}
	for _, it := range items {
		if !seen[it.CategoryID] {
			seen[it.CategoryID] = true
			catIDs = append(catIDs, it.CategoryID)
		}
	}
	cats := map[int64]categoryDoc{}
	if len(catIDs) > 0 {
		var ds []categoryDoc
		if err := findAll(ctx, s.categories, bson.D{{Key: "category_id", Value: bson.D{{Key: "$in", Value: catIDs}}}}, &ds); err != nil {
			return nil, err
		}
		for _, d := range ds {
			cats[d.CategoryID] = d
		}
	}
	out := make([]momentum.StatusDetail, 0, len(sts))
	for _, st := range sts {
		it, ok := items[st.ItemID]
		if !ok {
			continue
		}
		c, ok := cats[it.CategoryID]
		if !ok {
			continue
		}
		out = append(out, momentum.StatusDetail{ItemStatus: st.itemStatus(), Title: it.Title, CategoryID: c.CategoryID, CategoryName: c.Name, CategoryType: c.Type})
	}
	return out, nil
}

// UpsertStatus sets one item's status for one restaurant, keeping status_id once it exists. It
// updates first, so an update never spends an id; on a miss it inserts with a new id, and if a
// concurrent first upsert won the (restaurant_id, item_id) unique index meanwhile, it updates that.
func (s *Store) UpsertStatus(ctx context.Context, restaurantID, itemID int64, status string, notes *string, now time.Time) (momentum.ItemStatus, error) {
	now = ts(now)
	notes = copyStr(notes)
	key := bson.D{{Key: "restaurant_id", Value: restaurantID}, {Key: "item_id", Value: itemID}}
	set := bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: status}, {Key: "notes", Value: notes}, {Key: "last_updated_at", Value: now}}}}
	for range 3 {
		var d statusDoc
		err := s.statuses.FindOneAndUpdate(ctx, key, set, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
		if err == nil {
			return d.itemStatus(), nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return momentum.ItemStatus{}, fmt.Errorf("update status of item %d for restaurant %d: %w", itemID, restaurantID, err)
		}
		d = statusDoc{RestaurantID: restaurantID, ItemID: itemID, Status: status, Notes: notes, LastUpdatedAt: now}
		id, err := s.insertWithID(ctx, s.statuses, collStatuses, "status_id", func(id int64) any {
			d.StatusID = id
			return d
		})
		if err == nil {
			d.StatusID = id
			return d.itemStatus(), nil
		}
		if !errors.Is(err, errDuplicate) {
			return momentum.ItemStatus{}, fmt.Errorf("insert status of item %d for restaurant %d: %w", itemID, restaurantID, err)
		}
	}
	return momentum.ItemStatus{}, fmt.Errorf("upsert status of item %d for restaurant %d: kept losing races", itemID, restaurantID)
}
