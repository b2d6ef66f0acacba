package legacymigrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/platform/config"
)

// target is the MongoDB database.
type target struct {
	client *mongo.Client
	db     *mongo.Database
}

// redactURL hides the password of a MongoDB URL for reports and logs.
func redactURL(raw string) string { return config.MaskURL(raw) }

func connectTarget(ctx context.Context, uri, dbName string) (*target, error) {
	if uri == "" {
		return nil, errors.New("no MongoDB given: pass --mongodb-url URL (or set MONGODB_URL)")
	}
	if dbName == "" {
		return nil, errors.New("no database name given: pass --database NAME (or set DATABASE_NAME or APP_ENV)")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(15 * time.Second).SetAppName("momentum-migrate"))
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redactURL(uri), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := client.Ping(pctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("reach MongoDB at %s: %w", redactURL(uri), err)
	}
	return &target{client: client, db: client.Database(dbName)}, nil
}

func (tg *target) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return tg.client.Disconnect(ctx)
}

func (tg *target) coll(name string) *mongo.Collection { return tg.db.Collection(name) }

// existingIndexes returns the key specs (as "a_1,b_1" strings) of the collection's indexes.
func (tg *target) existingIndexes(ctx context.Context, coll string) (map[string]bool, error) {
	specs, err := tg.coll(coll).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", coll, err)
	}
	out := map[string]bool{}
	for _, s := range specs {
		var keys bson.D
		if err := bson.Unmarshal(s.KeysDocument, &keys); err != nil {
			continue
		}
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s_%v", k.Key, k.Value))
		}
		out[strings.Join(parts, ",")] = true
	}
	return out, nil
}

func indexSpecKey(keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "_1"
	}
	return strings.Join(parts, ",")
}

// ensureIndex creates one index unless an index on the same keys exists (whoever made it, under
// whatever name).
func (tg *target) ensureIndex(ctx context.Context, coll string, ix index) error {
	have, err := tg.existingIndexes(ctx, coll)
	if err != nil {
		return err
	}
	if have[indexSpecKey(ix.keys)] {
		return nil
	}
	keys := bson.D{}
	for _, k := range ix.keys {
		keys = append(keys, bson.E{Key: k, Value: 1})
	}
	opts := options.Index()
	if ix.unique {
		opts.SetUnique(true)
	}
	if _, err := tg.coll(coll).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: opts}); err != nil {
		return fmt.Errorf("create index %s on %s: %w", indexSpecKey(ix.keys), coll, err)
	}
	return nil
}

// tableState is the checkpoint document of one table in migration_state.
type tableState struct {
	Table     string    `bson:"_id"`
	LastRowid int64     `bson:"last_rowid"`
	Read      int64     `bson:"read"`
	Written   int64     `bson:"written"`
	Skipped   int64     `bson:"skipped"`
	Done      bool      `bson:"done"`
	Orphans   string    `bson:"orphans"`
	Source    string    `bson:"source"`
	UpdatedAt time.Time `bson:"updated_at"`
}

func (tg *target) loadState(ctx context.Context, table string) (tableState, bool, error) {
	var st tableState
	err := tg.coll(stateCollection).FindOne(ctx, bson.D{{Key: "_id", Value: table}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return tableState{Table: table}, false, nil
	}
	if err != nil {
		return tableState{}, false, fmt.Errorf("read checkpoint of %s: %w", table, err)
	}
	return st, true, nil
}

func (tg *target) saveState(ctx context.Context, st tableState) error {
	_, err := tg.coll(stateCollection).ReplaceOne(ctx, bson.D{{Key: "_id", Value: st.Table}}, st, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save checkpoint of %s at rowid %d: %w", st.Table, st.LastRowid, err)
	}
	return nil
}

// hasData reports whether any data collection of the model holds documents.
func (tg *target) hasData(ctx context.Context) (string, error) {
	for _, t := range tables {
		n, err := tg.coll(t.name).EstimatedDocumentCount(ctx)
		if err != nil {
			return "", fmt.Errorf("count %s: %w", t.name, err)
		}
		if n > 0 {
			return t.name, nil
		}
	}
	return "", nil
}

// runMarker is the migration_state document that marks a database as a migration target before any
// data is written, so an interrupted first run is recognised as one.
const runMarker = "_run"

func (tg *target) markRun(ctx context.Context, source, orphans string, now time.Time) error {
	_, err := tg.coll(stateCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: runMarker}},
		bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "source", Value: source}, {Key: "orphans", Value: orphans}, {Key: "started_at", Value: now}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mark the target as a migration target: %w", err)
	}
	return nil
}

func (tg *target) hasState(ctx context.Context) (bool, error) {
	n, err := tg.coll(stateCollection).CountDocuments(ctx, bson.D{})
	if err != nil {
		return false, fmt.Errorf("read migration_state: %w", err)
	}
	return n > 0, nil
}

// dropAll removes every collection the migrator writes (the --drop-target flag).
func (tg *target) dropAll(ctx context.Context) error {
	names := []string{stateCollection, issuesCollection, countersColl, benchCollection, benchIndexedCollection}
	for _, t := range tables {
		names = append(names, t.name)
	}
	for _, n := range names {
		if err := tg.coll(n).Drop(ctx); err != nil {
			return fmt.Errorf("drop %s: %w", n, err)
		}
	}
	return nil
}

func (tg *target) resetBookkeeping(ctx context.Context) error {
	if _, err := tg.coll(stateCollection).DeleteMany(ctx, bson.D{}); err != nil {
		return fmt.Errorf("reset migration_state: %w", err)
	}
	if _, err := tg.coll(issuesCollection).DeleteMany(ctx, bson.D{}); err != nil {
		return fmt.Errorf("reset migration_issues: %w", err)
	}
	return nil
}

// Write modes.
const (
	WriteInsert = "insert" // InsertMany(ordered=false); documents already there are replaced one by one
	WriteUpsert = "upsert" // ordered bulk of ReplaceOne(upsert) keyed by the legacy id
)

// writeDocs stores docs (keyed by keys) idempotently: afterwards each key's document equals its doc.
func (tg *target) writeDocs(ctx context.Context, t *table, docs []bson.D, keys []any, mode string) error {
	if len(docs) == 0 {
		return nil
	}
	c := tg.coll(t.name)
	if mode == WriteUpsert {
		return tg.replaceDocs(ctx, t, docs, keys)
	}
	batch := make([]any, len(docs))
	for i := range docs {
		batch[i] = docs[i]
	}
	_, err := c.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return fmt.Errorf("insert %d %s documents: %w", len(docs), t.name, err)
	}
	// A batch that was (partly) written by an interrupted run: replace what is already there.
	var rdocs []bson.D
	var rkeys []any
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 || we.Index < 0 || we.Index >= len(docs) {
			return fmt.Errorf("insert %s %s = %v: %w", t.name, t.key, keys[max(0, min(we.Index, len(keys)-1))], err)
		}
		rdocs = append(rdocs, docs[we.Index])
		rkeys = append(rkeys, keys[we.Index])
	}
	return tg.replaceDocs(ctx, t, rdocs, rkeys)
}

func (tg *target) replaceDocs(ctx context.Context, t *table, docs []bson.D, keys []any) error {
	models := make([]mongo.WriteModel, len(docs))
	for i := range docs {
		models[i] = mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: t.key, Value: keys[i]}}).SetReplacement(docs[i]).SetUpsert(true)
	}
	_, err := tg.coll(t.name).BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
	if err == nil {
		return nil
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 {
		we := bwe.WriteErrors[0]
		k := any("?")
		if we.Index >= 0 && we.Index < len(keys) {
			k = keys[we.Index]
		}
		if we.Code == 11000 {
			return fmt.Errorf("%s %s = %v conflicts with another document on a unique index (%s): resolve it in the source and run again", t.name, t.key, k, we.Message)
		}
		return fmt.Errorf("write %s %s = %v: %w", t.name, t.key, k, err)
	}
	return fmt.Errorf("write %d %s documents: %w", len(docs), t.name, err)
}

// saveIssues records issues in migration_issues so a resumed run reports what earlier runs found.
func (tg *target) saveIssues(ctx context.Context, issues []Issue) error {
	if len(issues) == 0 {
		return nil
	}
	// Plain inserts keyed by the issue's identity: a resumed run meets the same issues again, and those
	// fail as duplicates of identical documents, which is fine (upserts cost far more).
	docs := make([]any, len(issues))
	for i, is := range issues {
		docs[i] = bson.D{{Key: "_id", Value: is.issueKey()}, {Key: "kind", Value: is.Kind}, {Key: "table", Value: is.Table}, {Key: "id", Value: is.ID},
			{Key: "column", Value: is.Column}, {Key: "value", Value: is.Value}, {Key: "reference", Value: is.Reference}, {Key: "action", Value: is.Action}}
	}
	_, err := tg.coll(issuesCollection).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 {
				return fmt.Errorf("record %d issues: %w", len(issues), err)
			}
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("record %d issues: %w", len(issues), err)
	}
	return nil
}

// loadIssues streams migration_issues into the sink, in table order (schema findings about tables
// the model does not know come last).
func (tg *target) loadIssues(ctx context.Context, sink *issueSink) error {
	known := bson.A{}
	filters := []bson.D{}
	for _, t := range tables {
		known = append(known, t.name)
		filters = append(filters, bson.D{{Key: "table", Value: t.name}})
	}
	filters = append(filters, bson.D{{Key: "table", Value: bson.D{{Key: "$nin", Value: known}}}})
	for _, f := range filters {
		cur, err := tg.coll(issuesCollection).Find(ctx, f, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return fmt.Errorf("read migration_issues: %w", err)
		}
		for cur.Next(ctx) {
			var is Issue
			if err := cur.Decode(&is); err != nil {
				cur.Close(ctx)
				return fmt.Errorf("read migration_issues: %w", err)
			}
			sink.add(is)
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return fmt.Errorf("read migration_issues: %w", err)
		}
	}
	return nil
}

// raiseCounter sets counters.<name>.seq to at least v ($max), so no legacy id is handed out again.
func (tg *target) raiseCounter(ctx context.Context, name string, v int64) (int64, error) {
	_, err := tg.coll(countersColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: name}}, bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: v}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return 0, fmt.Errorf("raise counter %s to %d: %w", name, v, err)
	}
	return tg.counter(ctx, name)
}

func (tg *target) counter(ctx context.Context, name string) (int64, error) {
	var doc struct {
		Seq any `bson:"seq"`
	}
	err := tg.coll(countersColl).FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read counter %s: %w", name, err)
	}
	switch v := doc.Seq.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case float64:
		return int64(v), nil
	}
	return 0, fmt.Errorf("counter %s holds %T, not an integer", name, doc.Seq)
}

func (tg *target) count(ctx context.Context, coll string) (int64, error) {
	n, err := tg.coll(coll).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", coll, err)
	}
	return n, nil
}

// quickCount counts a collection from the storage engine's count ($collStats: O(1) on MongoDB, a
// plain SQLite count on FerretDB), and only when that is unavailable or disagrees with want (a
// metadata count can drift after an unclean server shutdown) counts the documents one by one.
func (tg *target) quickCount(ctx context.Context, coll string, want int64) (int64, error) {
	cur, err := tg.coll(coll).Aggregate(ctx, bson.A{bson.D{{Key: "$collStats", Value: bson.D{{Key: "count", Value: bson.D{}}}}}})
	if err == nil {
		var n int64
		ok := true
		for cur.Next(ctx) { // one document per shard
			rv, err := cur.Current.LookupErr("count")
			if err != nil {
				ok = false
				break
			}
			switch rv.Type {
			case bson.TypeInt64:
				n += rv.Int64()
			case bson.TypeInt32:
				n += int64(rv.Int32())
			case bson.TypeDouble:
				n += int64(rv.Double())
			default:
				ok = false
			}
		}
		if cur.Err() != nil {
			ok = false
		}
		cur.Close(ctx)
		if ok && n == want {
			return n, nil
		}
	}
	return tg.count(ctx, coll)
}
