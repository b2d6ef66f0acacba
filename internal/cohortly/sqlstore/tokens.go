package sqlstore

import (
	"context"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const tokenCols = `id, user_id, token, expires_at, created_at, family_id, rotated_at`

func scanToken(row Row, t *cohortly.RefreshToken) error {
	var fam *string
	if err := row.Scan(&t.ID, &t.UserID, &t.Token, &t.ExpiresAt, &t.CreatedAt, &fam, &t.RotatedAt); err != nil {
		return err
	}
	t.FamilyID = strOr(fam)
	t.ExpiresAt, t.CreatedAt, t.RotatedAt = utc(t.ExpiresAt), utc(t.CreatedAt), utcp(t.RotatedAt)
	return nil
}

// CreateRefreshToken inserts t.
func (s *Store) CreateRefreshToken(ctx context.Context, t cohortly.RefreshToken) error {
	_, err := s.db.Write.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, family_id, rotated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.UserID, t.Token, ts(t.ExpiresAt), ts(t.CreatedAt), nullStr(t.FamilyID), tsp(t.RotatedAt))
	return s.mapErr(err, "create refresh token", cohortly.ErrMissingRef)
}

// RotateRefreshToken implements the rotation protocol of cohortly.Store. The presented row is read
// with the dialect's ForUpdate lock (PostgreSQL; SQLite's write transactions are serialised as a
// whole), so concurrent rotations of one token queue behind each other; the later ones then see
// rotated_at set and revoke the family (READ COMMITTED re-reads the locked row's latest version).
func (s *Store) RotateRefreshToken(ctx context.Context, r cohortly.RotateRequest) (cohortly.RefreshToken, error) {
	const op = "rotate refresh token"
	if len(r.Keys) == 0 {
		return cohortly.RefreshToken{}, s.fail(op, cohortly.ErrNotFound)
	}
	var out cohortly.RefreshToken
	err := s.inTx(ctx, op, func(tx Querier) error {
		var cur cohortly.RefreshToken
		match, keyArgs := s.d.AnyOf("token", 2, r.Keys)
		err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM refresh_tokens
			WHERE user_id = $1 AND `+match+`
			ORDER BY `+s.d.PositionIn("token", 2, len(r.Keys))+` LIMIT 1`+s.d.ForUpdate, append([]any{r.UserID}, keyArgs...)...), &cur)
		if err != nil {
			return s.mapErr(err, op, cohortly.ErrMissingRef)
		}
		fam := cur.Family()
		if cur.RotatedAt != nil {
			return s.revokeFamily(ctx, tx, fam)
		}
		if !cur.ExpiresAt.After(r.Now) {
			if _, err := tx.Exec(ctx, `DELETE FROM refresh_tokens WHERE id = $1`, cur.ID); err != nil {
				return s.mapErr(err, op+": delete expired", cohortly.ErrInUse)
			}
			return &commitErr{s.fail(op, cohortly.ErrTokenExpired)}
		}
		// Rows the legacy server wrote hold the JWT itself; store its hash instead so no usable
		// plaintext stays in the table.
		newKey := cur.Token
		if cur.Token != r.Keys[0] {
			newKey = r.Keys[0]
		}
		n, err := tx.Exec(ctx, `UPDATE refresh_tokens SET rotated_at = $2, family_id = $3, token = $4
			WHERE id = $1 AND rotated_at IS NULL`, cur.ID, ts(r.Now), fam, newKey)
		if err != nil {
			return s.mapErr(err, op+": mark rotated", cohortly.ErrMissingRef)
		}
		if n == 0 {
			return s.revokeFamily(ctx, tx, fam)
		}
		next := r.Next
		next.FamilyID = fam
		next.ExpiresAt, next.CreatedAt, next.RotatedAt = ts(next.ExpiresAt), ts(next.CreatedAt), nil
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, family_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, next.ID, next.UserID, next.Token, next.ExpiresAt, next.CreatedAt, fam); err != nil {
			return s.mapErr(err, op+": insert successor", cohortly.ErrMissingRef)
		}
		out = next
		return nil
	})
	if err != nil {
		return cohortly.RefreshToken{}, err
	}
	return out, nil
}

// CheckRefreshToken implements the refresh without rotation of cohortly.Store. Its writes (deleting an
// expired row, hashing a legacy plaintext row) are each one idempotent statement, so concurrent checks
// of one token need no transaction: they all succeed.
func (s *Store) CheckRefreshToken(ctx context.Context, userID string, keys []string, now time.Time) (cohortly.RefreshToken, error) {
	const op = "check refresh token"
	if len(keys) == 0 {
		return cohortly.RefreshToken{}, s.fail(op, cohortly.ErrNotFound)
	}
	var cur cohortly.RefreshToken
	// Read on the write pool: a logout that just committed must be seen.
	match, keyArgs := s.d.AnyOf("token", 2, keys)
	err := scanToken(s.db.Write.QueryRow(ctx, `SELECT `+tokenCols+` FROM refresh_tokens
		WHERE user_id = $1 AND `+match+`
		ORDER BY `+s.d.PositionIn("token", 2, len(keys))+` LIMIT 1`, append([]any{userID}, keyArgs...)...), &cur)
	if err != nil {
		return cohortly.RefreshToken{}, s.mapErr(err, op, cohortly.ErrMissingRef)
	}
	if cur.RotatedAt != nil {
		return cohortly.RefreshToken{}, s.fail(op, cohortly.ErrTokenReused)
	}
	if !cur.ExpiresAt.After(now) {
		if _, err := s.db.Write.Exec(ctx, `DELETE FROM refresh_tokens WHERE id = $1`, cur.ID); err != nil {
			return cohortly.RefreshToken{}, s.mapErr(err, op+": delete expired", cohortly.ErrInUse)
		}
		return cohortly.RefreshToken{}, s.fail(op, cohortly.ErrTokenExpired)
	}
	if cur.Token != keys[0] {
		// As in RotateRefreshToken: no usable plaintext stays in the table.
		if _, err := s.db.Write.Exec(ctx, `UPDATE refresh_tokens SET token = $2 WHERE id = $1 AND token = $3`, cur.ID, keys[0], cur.Token); err != nil {
			return cohortly.RefreshToken{}, s.mapErr(err, op+": hash legacy token", cohortly.ErrMissingRef)
		}
		cur.Token = keys[0]
	}
	return cur, nil
}

// revokeFamily answers a reused token: every live (not yet rotated) token of the family is deleted.
// The rotated rows stay until they expire, as tombstones: a later or concurrent replay of any of them
// is still recognised as reuse (ErrTokenReused), not mistaken for an unknown token.
func (s *Store) revokeFamily(ctx context.Context, tx Querier, fam string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM refresh_tokens WHERE (family_id = $1 OR id = $1) AND rotated_at IS NULL`, fam); err != nil {
		return s.mapErr(err, "revoke refresh token family", cohortly.ErrInUse)
	}
	return &commitErr{s.fail("rotate refresh token", cohortly.ErrTokenReused)}
}

// RevokeRefreshToken deletes the user's family of the token stored under any of keys.
func (s *Store) RevokeRefreshToken(ctx context.Context, userID string, keys []string) (int64, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	match, keyArgs := s.d.AnyOf("token", 2, keys)
	n, err := s.db.Write.Exec(ctx, `WITH hit AS (
			SELECT COALESCE(family_id, id) AS fam FROM refresh_tokens WHERE user_id = $1 AND `+match+`
		)
		DELETE FROM refresh_tokens WHERE user_id = $1
		  AND (id IN (SELECT fam FROM hit) OR family_id IN (SELECT fam FROM hit))`, append([]any{userID}, keyArgs...)...)
	if err != nil {
		return 0, s.mapErr(err, "revoke refresh token", cohortly.ErrInUse)
	}
	return n, nil
}

// RevokeUserRefreshTokens deletes every refresh token of the user.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, userID string) (int64, error) {
	n, err := s.db.Write.Exec(ctx, `DELETE FROM refresh_tokens WHERE user_id = $1`, userID)
	if err != nil {
		return 0, s.mapErr(err, "revoke user refresh tokens", cohortly.ErrInUse)
	}
	return n, nil
}

// DeleteExpiredRefreshTokens deletes rows that expired at or before now.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int64, error) {
	n, err := s.db.Write.Exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, s.mapErr(err, "delete expired refresh tokens", cohortly.ErrInUse)
	}
	return n, nil
}
