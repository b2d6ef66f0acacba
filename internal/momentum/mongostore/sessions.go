package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// CreateSession stores s; an existing session id is ErrConflict.
func (s *Store) CreateSession(ctx context.Context, sess momentum.Session) error {
	var imp *int64
	if sess.ImpersonatingRestaurantID != nil {
		v := *sess.ImpersonatingRestaurantID
		imp = &v
	}
	_, err := s.sessions.InsertOne(ctx, sessionDoc{
		SessionID: sess.ID, UserID: sess.UserID, ImpersonatingRestaurantID: imp, CreatedAt: ts(sess.CreatedAt), ExpiresAt: ts(sess.ExpiresAt),
	})
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("create session: %w", momentum.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByID returns a session not expired at now. Expiry is checked here, always: the TTL index
// (where the server has one) deletes late, and FerretDB v1 has none.
func (s *Store) SessionByID(ctx context.Context, id string, now time.Time) (momentum.Session, error) {
	var d sessionDoc
	err := findOne(ctx, s.sessions, bson.D{{Key: "session_id", Value: id}, {Key: "expires_at", Value: bson.D{{Key: "$gt", Value: ts(now)}}}}, &d, "session")
	if err != nil {
		return momentum.Session{}, err
	}
	return d.session(), nil
}

// DeleteSession deletes a session; deleting a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "session_id", Value: id}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes sessions expired at now (expires_at <= now).
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: ts(now)}}}})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.DeletedCount, nil
}

// LogImpersonation appends one audit event with a new event id.
func (s *Store) LogImpersonation(ctx context.Context, e momentum.ImpersonationEvent) error {
	d := eventDoc{AdminUserID: e.AdminUserID, AdminEmail: e.AdminEmail, RestaurantID: e.RestaurantID, SessionID: e.SessionID, Action: e.Action, At: ts(e.At)}
	_, err := s.insertWithID(ctx, s.impLog, collImpersonated, "event_id", func(id int64) any {
		d.EventID = id
		return d
	})
	if err != nil {
		return fmt.Errorf("log impersonation: %w", err)
	}
	return nil
}

// ImpersonationLog returns the newest events first (ties: higher id first); limit <= 0 means all.
func (s *Store) ImpersonationLog(ctx context.Context, limit int) ([]momentum.ImpersonationEvent, error) {
	opts := options.Find().SetSort(sortDesc("at", "event_id"))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	var ds []eventDoc
	if err := findAll(ctx, s.impLog, bson.D{}, &ds, opts); err != nil {
		return nil, err
	}
	out := make([]momentum.ImpersonationEvent, len(ds))
	for i, d := range ds {
		out[i] = d.event()
	}
	return out, nil
}
