package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type indexSpec struct {
	coll   string
	keys   []string // ascending
	unique bool
	sparse bool
}

// indexSpecs is the model's index list (internal/momentum/mongostore/MODEL.md). The TTL index on
// sessions.expires_at is handled apart because not every server supports it.
func indexSpecs() []indexSpec {
	return []indexSpec{
		{coll: collUsers, keys: []string{"user_id"}, unique: true},
		{coll: collUsers, keys: []string{"email_normalized"}, unique: true},
		// Only unfinished registrations carry pending_since, so the sparse index stays tiny.
		{coll: collUsers, keys: []string{"pending_since"}, sparse: true},
		{coll: collRestaurants, keys: []string{"restaurant_id"}, unique: true},
		{coll: collRestaurants, keys: []string{"user_id"}},
		{coll: collCampaigns, keys: []string{"campaign_id"}, unique: true},
		{coll: collCampaigns, keys: []string{"restaurant_id", "status"}},
		{coll: collCampaigns, keys: []string{"restaurant_id", "created_at"}},
		{coll: collCampaigns, keys: []string{"external_id"}},
		{coll: collTasks, keys: []string{"status_id"}, unique: true},
		{coll: collTasks, keys: []string{"restaurant_id", "is_complete"}},
		{coll: collCategories, keys: []string{"category_id"}, unique: true},
		{coll: collCategories, keys: []string{"order_in_list"}},
		{coll: collItems, keys: []string{"item_id"}, unique: true},
		{coll: collItems, keys: []string{"category_id"}},
		{coll: collStatuses, keys: []string{"status_id"}, unique: true},
		{coll: collStatuses, keys: []string{"restaurant_id", "item_id"}, unique: true},
		{coll: collSessions, keys: []string{"session_id"}, unique: true},
		{coll: collImpersonated, keys: []string{"event_id"}, unique: true},
		{coll: collImpersonated, keys: []string{"at"}},
	}
}

// EnsureIndexes creates the model's indexes in db. It is idempotent, so every instance runs it at
// start, and the legacy migrator can call it so both build exactly the same indexes. An existing
// index with the same keys but other options is an error (the model and the database disagree).
//
// One index per command: FerretDB v1.24 panics (and drops the connection) when one createIndexes
// command lists more than one index that already exists.
func EnsureIndexes(ctx context.Context, db *mongo.Database) error {
	for _, ix := range indexSpecs() {
		keys := make(bson.D, len(ix.keys))
		for i, k := range ix.keys {
			keys[i] = bson.E{Key: k, Value: 1}
		}
		o := options.Index()
		if ix.unique {
			o.SetUnique(true)
		}
		if ix.sparse {
			o.SetSparse(true)
		}
		if _, err := db.Collection(ix.coll).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: o}); err != nil {
			return fmt.Errorf("create index %v on %s: %w", ix.keys, ix.coll, err)
		}
	}
	return ensureSessionExpiryIndex(ctx, db.Collection(collSessions))
}

// ensureSessionExpiryIndex lets the server delete expired sessions (TTL) where it can. FerretDB v1
// cannot, so there a plain index serves DeleteExpiredSessions; reads filter on expires_at either
// way, because even MongoDB's TTL monitor only runs once a minute.
func ensureSessionExpiryIndex(ctx context.Context, c *mongo.Collection) error {
	keys := bson.D{{Key: "expires_at", Value: 1}}
	_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: options.Index().SetExpireAfterSeconds(0)})
	if err == nil {
		return nil
	}
	if optionsConflict(err) {
		// An index on expires_at already exists without TTL (made where TTL was unsupported, then
		// restored here): keep it; reads filter on expiry regardless.
		return nil
	}
	if !notSupported(err) {
		return fmt.Errorf("create TTL index on %s.expires_at: %w", c.Name(), err)
	}
	if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys}); err != nil {
		return fmt.Errorf("create index on %s.expires_at: %w", c.Name(), err)
	}
	return nil
}

// notSupported recognises "this server cannot do that" (FerretDB answers NotImplemented, 238).
func notSupported(err error) bool {
	var se mongo.ServerError
	if !errors.As(err, &se) {
		return false
	}
	return se.HasErrorCode(238) || se.HasErrorCode(115) // NotImplemented, CommandNotSupported
}

// optionsConflict recognises an existing index on the same keys with other options or name
// (IndexOptionsConflict 85, IndexKeySpecsConflict 86).
func optionsConflict(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && (se.HasErrorCode(85) || se.HasErrorCode(86))
}
