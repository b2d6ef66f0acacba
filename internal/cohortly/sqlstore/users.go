package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// userColumns are read unqualified by RETURNING (SQLite refuses qualified names there); userCols
// qualifies them with u.
const userColumns = `id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at`

const userCols = `u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at`

const userByID = `SELECT ` + userCols + ` FROM users u WHERE u.id = $1`

// userByIDAt is userByID with the id in parameter $n.
func userByIDAt(n int) string {
	return `SELECT ` + userCols + ` FROM users u WHERE u.id = $` + strconv.Itoa(n)
}

// userScan holds the scratch of scanning userCols into u.
type userScan struct {
	u    *cohortly.User
	role string
}

func (x *userScan) dest(d []any) []any {
	u := x.u
	return append(d, &u.ID, &u.Email, &u.PasswordHash, &x.role, &u.FullName, &u.Phone, &u.IsActive, &u.CreatedAt, &u.UpdatedAt)
}

func (x *userScan) fix() {
	x.u.Role = cohortly.Role(x.role)
	x.u.CreatedAt, x.u.UpdatedAt = utc(x.u.CreatedAt), utc(x.u.UpdatedAt)
}

// scanUser reads a row whose columns are userCols, then more (columns selected after them).
func scanUser(row Row, u *cohortly.User, more ...any) error {
	x := userScan{u: u}
	dest := x.dest(make([]any, 0, 9+len(more)))
	if err := row.Scan(append(dest, more...)...); err != nil {
		return err
	}
	x.fix()
	return nil
}

func (s *Store) insertUser(ctx context.Context, q Querier, u cohortly.User, op string) error {
	_, err := q.Exec(ctx, `INSERT INTO users (id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.ID, u.Email, u.PasswordHash, string(u.Role), u.FullName, u.Phone, u.IsActive, ts(u.CreatedAt), ts(u.UpdatedAt))
	return s.mapErr(err, op, cohortly.ErrMissingRef)
}

// CreateUser inserts u; a taken email is ErrConflict (users_email_key).
func (s *Store) CreateUser(ctx context.Context, u cohortly.User) error {
	return s.insertUser(ctx, s.db.Write, u, "create user")
}

// UserByID is the per-request lookup: one prepared primary-key query.
func (s *Store) UserByID(ctx context.Context, id string) (cohortly.User, error) {
	if s.users != nil {
		return s.loadUser(ctx, id)
	}
	var u cohortly.User
	err := scanUser(s.db.Read.QueryRow(ctx, userByID, id), &u)
	return u, s.mapErr(err, "user by id", nil)
}

// UserByEmail matches the stored (normalised) email exactly.
func (s *Store) UserByEmail(ctx context.Context, email string) (cohortly.User, error) {
	var u cohortly.User
	err := scanUser(s.db.Read.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.email = $1`, email), &u)
	return u, s.mapErr(err, "user by email", nil)
}

// UpdateUser applies p and returns the row afterwards, in one statement.
func (s *Store) UpdateUser(ctx context.Context, id string, p cohortly.UserPatch, now time.Time) (cohortly.User, error) {
	var set setList
	set.add("updated_at", ts(now))
	if p.FullName.Set {
		set.add("full_name", p.FullName.V)
	}
	if p.Phone.Set {
		set.add("phone", p.Phone.V)
	}
	if p.PasswordHash.Set {
		set.add("password_hash", p.PasswordHash.V)
	}
	if p.Role.Set {
		set.add("role", string(p.Role.V))
	}
	if p.IsActive.Set {
		set.add("is_active", p.IsActive.V)
	}
	args := append(set.args, id)
	var u cohortly.User
	err := scanUser(s.db.Write.QueryRow(ctx, fmt.Sprintf(`UPDATE users SET %s WHERE id = $%d RETURNING `+userColumns, set.sql(), len(args)), args...), &u)
	return u, s.mapErr(err, "update user "+id, cohortly.ErrMissingRef)
}

// DeleteUser hard-deletes a user; RESTRICT references give ErrInUse.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "users", "user", id)
}

// EnrollLeadsByEmail marks every not-yet-enrolled lead with this email ENROLLED.
func (s *Store) EnrollLeadsByEmail(ctx context.Context, email string, now time.Time) (int64, error) {
	n, err := s.db.Write.Exec(ctx, `UPDATE leads SET status = 'ENROLLED', updated_at = $2 WHERE email = $1 AND status <> 'ENROLLED'`, email, ts(now))
	if err != nil {
		return 0, s.mapErr(err, "enroll leads by email", cohortly.ErrMissingRef)
	}
	return n, nil
}
