package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// CreateSession stores a new impersonation session; an existing id is ErrConflict.
func (s *Store) CreateSession(ctx context.Context, sess momentum.Session) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (session_id, user_id, impersonating_restaurant_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`,
		sess.ID, sess.UserID, nullInt(sess.ImpersonatingRestaurantID), formatTime(sess.CreatedAt), formatTime(sess.ExpiresAt))
	if err != nil {
		if isUnique(err) {
			return fmt.Errorf("create session: %w", momentum.ErrConflict)
		}
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByID returns the session if it expires after now.
func (s *Store) SessionByID(ctx context.Context, id string, now time.Time) (momentum.Session, error) {
	var sess momentum.Session
	var imp sql.NullInt64
	err := s.q.sessionByID.QueryRowContext(ctx, id, formatTime(now)).
		Scan(&sess.ID, &sess.UserID, &imp, timeCol{&sess.CreatedAt}, timeCol{&sess.ExpiresAt})
	if err != nil {
		return momentum.Session{}, fmt.Errorf("load session: %w", notFound(err))
	}
	sess.ImpersonatingRestaurantID = intPtr(imp)
	return sess, nil
}

// DeleteSession removes a session; removing one that is not there is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE session_id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions whose expires_at is at or before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

// LogImpersonation appends one event to the audit trail.
func (s *Store) LogImpersonation(ctx context.Context, e momentum.ImpersonationEvent) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO impersonation_log (admin_user_id, admin_email, restaurant_id, session_id, action, at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		e.AdminUserID, e.AdminEmail, e.RestaurantID, e.SessionID, e.Action, formatTime(e.At)); err != nil {
		return fmt.Errorf("log impersonation %s by user %d: %w", e.Action, e.AdminUserID, err)
	}
	return nil
}

// ImpersonationLog returns the newest events first (ties: the later logged first); limit <= 0: all.
func (s *Store) ImpersonationLog(ctx context.Context, limit int) ([]momentum.ImpersonationEvent, error) {
	rows, err := s.q.impersonationLog.QueryContext(ctx, sqlLimit(limit))
	out, err := collect(rows, err, func(sc rowScanner) (momentum.ImpersonationEvent, error) {
		var e momentum.ImpersonationEvent
		err := sc.Scan(&e.ID, &e.AdminUserID, &e.AdminEmail, &e.RestaurantID, &e.SessionID, &e.Action, timeCol{&e.At})
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("load impersonation log: %w", err)
	}
	return out, nil
}
