// Package mongostore is the MongoDB adapter of momentum.Store, on the document model in
// internal/momentum/mongostore/MODEL.md (shared with the legacy migrator): one collection per legacy table,
// each document carrying its legacy integer id under a unique index, new ids from a counters
// collection.
//
// It works on MongoDB (Atlas: replica set or sharded) and on FerretDB v1, which the tests use. It
// therefore uses no multi-document transaction and no $lookup, and it does not trust a single
// findAndModify to be atomic: FerretDB v1 implements it as read-then-write, so concurrent $inc on a
// counter can hand out one id twice. Every insert that takes a counter id relies on the unique index
// of that id and takes a fresh id when it collides.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/mongotrace"
)

// Collection names (the legacy table names).
const (
	collUsers        = "users"
	collRestaurants  = "restaurants"
	collCampaigns    = "campaigns"
	collTasks        = "checklist_status"
	collCategories   = "checklist_categories"
	collItems        = "checklist_items"
	collStatuses     = "restaurant_checklist_status"
	collSessions     = "sessions"
	collImpersonated = "impersonation_log"
	collCounters     = "counters"
)

// DefaultPendingGrace is how old an unfinished registration must be before another registration for
// the same email may discard it. A registration takes a few round trips; anything this old crashed.
const DefaultPendingGrace = 30 * time.Second

// maxIDAttempts bounds the retries when a freshly allocated id is already taken (a counter behind
// the data, or FerretDB's non-atomic $inc under concurrency).
const maxIDAttempts = 32

// cleanupTimeout bounds compensating writes, which run even when the caller's context is done.
const cleanupTimeout = 10 * time.Second

// Store implements momentum.Store on one MongoDB database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	grace  time.Duration

	users, restaurants, campaigns, tasks, categories, items, statuses, sessions, impLog, counters *mongo.Collection
}

var _ momentum.Store = (*Store)(nil)

type config struct {
	grace       time.Duration
	skipIndexes bool
	client      []*options.ClientOptions
}

// Option configures Open.
type Option func(*config)

// WithPendingGrace sets how old an unfinished registration must be before it is discarded by a new
// registration for the same email (default DefaultPendingGrace).
func WithPendingGrace(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.grace = d
		}
	}
}

// WithClientOptions adds driver options (pool size, timeouts, TLS, app name, ...) applied after the
// URI, so they override it.
func WithClientOptions(opts ...*options.ClientOptions) Option {
	return func(c *config) { c.client = append(c.client, opts...) }
}

// WithTracer gives every command sent within a traced request a span (platform/tracing/mongotrace;
// nil: no command monitor).
func WithTracer(tp trace.TracerProvider) Option {
	return func(c *config) {
		if m := mongotrace.Monitor(tp); m != nil {
			c.client = append(c.client, options.Client().SetMonitor(m))
		}
	}
}

// WithoutIndexes skips index creation at Open, for a database user without the createIndex role
// (run EnsureIndexes once with a privileged user instead).
func WithoutIndexes() Option { return func(c *config) { c.skipIndexes = true } }

// Open connects to uri, checks the server answers, and creates the model's indexes in database
// dbName (idempotent). ctx bounds the whole of it.
func Open(ctx context.Context, uri, dbName string, opts ...Option) (*Store, error) {
	cfg := config{grace: DefaultPendingGrace}
	for _, o := range opts {
		o(&cfg)
	}
	if err := validDBName(dbName); err != nil {
		return nil, err
	}
	clientOpts := append([]*options.ClientOptions{options.Client().ApplyURI(uri)}, cfg.client...)
	client, err := mongo.Connect(clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("mongodb connect: %w", err)
	}
	s := newStore(client, dbName, cfg.grace)
	if err := client.Ping(ctx, nil); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("mongodb ping: %w", err)
	}
	if !cfg.skipIndexes {
		if err := EnsureIndexes(ctx, s.db); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

func newStore(client *mongo.Client, dbName string, grace time.Duration) *Store {
	db := client.Database(dbName)
	return &Store{
		client:      client,
		db:          db,
		grace:       grace,
		users:       db.Collection(collUsers),
		restaurants: db.Collection(collRestaurants),
		campaigns:   db.Collection(collCampaigns),
		tasks:       db.Collection(collTasks),
		categories:  db.Collection(collCategories),
		items:       db.Collection(collItems),
		statuses:    db.Collection(collStatuses),
		sessions:    db.Collection(collSessions),
		impLog:      db.Collection(collImpersonated),
		counters:    db.Collection(collCounters),
	}
}

// validDBName refuses names MongoDB or FerretDB would reject later with a less helpful message.
func validDBName(name string) error {
	if name == "" {
		return errors.New("mongodb database name is empty")
	}
	if len(name) > 63 || strings.ContainsAny(name, "/\\. \"$\x00") {
		return fmt.Errorf("mongodb database name %q is invalid (at most 63 characters, none of /\\. \"$)", name)
	}
	return nil
}

// Ping reports whether the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongodb ping: %w", err)
	}
	return nil
}

// Close disconnects, waiting at most a few seconds for in-flight operations.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		return fmt.Errorf("mongodb disconnect: %w", err)
	}
	return nil
}

// ts is how every time is stored: UTC, whole seconds (the legacy CURRENT_TIMESTAMP precision).
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// notPending selects committed users only (see CreateAccount).
func notPending() bson.E {
	return bson.E{Key: "pending_since", Value: bson.D{{Key: "$exists", Value: false}}}
}

// nextID reserves n consecutive ids of a collection and returns the last one.
func (s *Store) nextID(ctx context.Context, counter string, n int64) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var err error
	for range 3 {
		err = s.counters.FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: counter}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: n}}}},
			opts,
		).Decode(&doc)
		if err == nil {
			return doc.Seq, nil
		}
		// Two first upserts of a counter race on _id; the loser simply increments the winner's.
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	return 0, fmt.Errorf("allocate %s id: %w", counter, err)
}

// errDuplicate marks a duplicate-key error on a unique key other than the allocated id.
var errDuplicate = fmt.Errorf("duplicate key: %w", momentum.ErrConflict)

// insertWithID inserts mk(id) with a new id of counter, stored under idField. A collision on the id
// itself takes the next id; a collision on another unique key returns errDuplicate.
func (s *Store) insertWithID(ctx context.Context, c *mongo.Collection, counter, idField string, mk func(id int64) any) (int64, error) {
	for attempt := range maxIDAttempts {
		id, err := s.nextID(ctx, counter, 1)
		if err != nil {
			return 0, err
		}
		_, err = c.InsertOne(ctx, mk(id))
		if err == nil {
			return id, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return 0, fmt.Errorf("insert into %s: %w", c.Name(), err)
		}
		taken, err := exists(ctx, c, bson.D{{Key: idField, Value: id}})
		if err != nil {
			return 0, err
		}
		if !taken {
			return 0, errDuplicate
		}
		if err := s.catchUp(ctx, c, counter, idField); err != nil {
			return 0, err
		}
		if err := idBackoff(ctx, attempt); err != nil {
			return 0, fmt.Errorf("insert into %s: %w", c.Name(), err)
		}
	}
	return 0, fmt.Errorf("insert into %s: no free %s after %d attempts (is the %s counter behind?)", c.Name(), idField, maxIDAttempts, counter)
}

// idBackoff waits a random time, growing with the attempt, before the next try for a free id. On
// FerretDB, writers that read the counter together get the same id; retrying at once they meet again:
// 30 registrations at once over three instances had some lose 32 times in a row (a 500). Spread in
// time, they draw different ids. (On MongoDB the counter's $inc is atomic and this only runs when
// a counter is behind its data.)
func idBackoff(ctx context.Context, attempt int) error {
	ceiling := min(time.Millisecond<<min(attempt, 6), 50*time.Millisecond)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(rand.N(ceiling) + time.Millisecond):
		return nil
	}
}

// catchUp raises counter to at least the largest idField in c after a drawn id was found taken: a
// counter left behind its data (a restore, a lost update) then hands out fresh ids from the next draw
// on instead of walking up one collision at a time. $max never lowers it, so racing callers agree.
func (s *Store) catchUp(ctx context.Context, c *mongo.Collection, counter, idField string) error {
	var top bson.M
	err := c.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: idField, Value: -1}}).SetProjection(bson.D{{Key: idField, Value: 1}})).Decode(&top)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("largest %s of %s: %w", idField, c.Name(), err)
	}
	var highest int64
	switch v := top[idField].(type) {
	case int64:
		highest = v
	case int32:
		highest = int64(v)
	case float64:
		highest = int64(v)
	default:
		return nil // not a number: leave the counter to the retries
	}
	_, err = s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: counter}}, bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: highest}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("catch up %s counter: %w", counter, err)
	}
	return nil
}

func exists(ctx context.Context, c *mongo.Collection, filter bson.D) (bool, error) {
	err := c.FindOne(ctx, filter, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	default:
		return false, fmt.Errorf("query %s: %w", c.Name(), err)
	}
}

// findOne decodes the first match into dst, mapping no match to ErrNotFound with what as context.
func findOne(ctx context.Context, c *mongo.Collection, filter bson.D, dst any, what string, opts ...options.Lister[options.FindOneOptions]) error {
	err := c.FindOne(ctx, filter, opts...).Decode(dst)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("%s: %w", what, momentum.ErrNotFound)
	default:
		return fmt.Errorf("load %s: %w", what, err)
	}
}

// findAll decodes every match into dst (a pointer to a slice).
func findAll(ctx context.Context, c *mongo.Collection, filter bson.D, dst any, opts ...options.Lister[options.FindOptions]) error {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return fmt.Errorf("query %s: %w", c.Name(), err)
	}
	if err := cur.All(ctx, dst); err != nil {
		return fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return nil
}

// inChunks splits ids for $in queries so no single command approaches the 16 MB limit.
func inChunks(ids []int64, size int) [][]int64 {
	var out [][]int64
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// cleanupContext keeps compensating writes alive after the caller's context is cancelled (the
// likeliest reason they are needed) but bounds them.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

func sortAsc(fields ...string) bson.D  { return sortBy(1, fields) }
func sortDesc(fields ...string) bson.D { return sortBy(-1, fields) }

func sortBy(dir int, fields []string) bson.D {
	d := make(bson.D, len(fields))
	for i, f := range fields {
		d[i] = bson.E{Key: f, Value: dir}
	}
	return d
}
