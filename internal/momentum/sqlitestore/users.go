package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

func scanUser(sc rowScanner) (momentum.User, error) {
	var u momentum.User
	err := sc.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, timeCol{&u.CreatedAt})
	return u, err
}

func scanRestaurant(sc rowScanner) (momentum.Restaurant, error) {
	var r momentum.Restaurant
	var addr, phone sql.NullString
	err := sc.Scan(&r.ID, &r.UserID, &r.Name, &addr, &phone, timeCol{&r.CreatedAt})
	r.Address, r.Phone = strPtr(addr), strPtr(phone)
	return r, err
}

// emailLookup runs the two email queries on the read pool or inside a write transaction.
type emailLookup struct {
	norm    func(ctx context.Context, args ...any) *sql.Row
	unusual func(ctx context.Context, args ...any) (*sql.Rows, error)
}

func (s *Store) readEmailLookup() emailLookup {
	return emailLookup{norm: s.q.userByNormEmail.QueryRowContext, unusual: s.q.usersUnusualEmail.QueryContext}
}

func txEmailLookup(tx *sql.Tx) emailLookup {
	return emailLookup{
		norm: func(ctx context.Context, args ...any) *sql.Row {
			return tx.QueryRowContext(ctx, qUserByNormEmail, args...)
		},
		unusual: func(ctx context.Context, args ...any) (*sql.Rows, error) {
			return tx.QueryContext(ctx, qUsersUnusualEmail, args...)
		},
	}
}

// find returns the user whose email normalises to NormalizeEmail(email). Printable-ASCII emails are
// found through the lower(trim(email)) index; the few others are compared in Go.
func (l emailLookup) find(ctx context.Context, email string) (momentum.User, error) {
	norm := momentum.NormalizeEmail(email)
	if norm == "" {
		return momentum.User{}, momentum.ErrNotFound
	}
	u, err := scanUser(l.norm(ctx, norm, strings.TrimSpace(email)))
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return u, err
	}
	rows, err := l.unusual(ctx)
	if err != nil {
		return momentum.User{}, err
	}
	defer rows.Close()
	var found *momentum.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return momentum.User{}, err
		}
		if momentum.NormalizeEmail(u.Email) != norm {
			continue
		}
		if found == nil || u.Email == strings.TrimSpace(email) && found.Email != u.Email {
			found = &u
		}
	}
	if err := rows.Err(); err != nil {
		return momentum.User{}, err
	}
	if found == nil {
		return momentum.User{}, momentum.ErrNotFound
	}
	return *found, nil
}

// CreateAccount writes the user, the restaurant and its four default tasks in one transaction.
func (s *Store) CreateAccount(ctx context.Context, a momentum.NewAccount) (momentum.User, momentum.Restaurant, error) {
	now := formatTime(a.Now)
	// The legacy server stores '' for a missing address or phone, and the legacy client shows it.
	addr, phone := "", ""
	if a.Address != nil {
		addr = *a.Address
	}
	if a.Phone != nil {
		phone = *a.Phone
	}
	var u momentum.User
	var r momentum.Restaurant
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := txEmailLookup(tx).find(ctx, a.Email); err == nil {
			return momentum.ErrConflict
		} else if !errors.Is(err, momentum.ErrNotFound) {
			return fmt.Errorf("look up email: %w", err)
		}
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx,
			`INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING `+userCols,
			a.Email, a.PasswordHash, momentum.RoleRestaurant, now))
		if err != nil {
			if isUnique(err) {
				return momentum.ErrConflict
			}
			return fmt.Errorf("insert user: %w", err)
		}
		r, err = scanRestaurant(tx.QueryRowContext(ctx,
			`INSERT INTO restaurants (user_id, name, address, phone, created_at) VALUES (?, ?, ?, ?, ?) RETURNING `+restaurantCols,
			u.ID, a.RestaurantName, addr, phone, now))
		if err != nil {
			return fmt.Errorf("insert restaurant: %w", err)
		}
		for _, name := range momentum.DefaultTasks {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO checklist_status (restaurant_id, checklist_item_name, is_complete, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`,
				r.ID, name, now, now); err != nil {
				return fmt.Errorf("insert default task: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return momentum.User{}, momentum.Restaurant{}, fmt.Errorf("create account %q: %w", a.Email, err)
	}
	return u, r, nil
}

// EnsureAdmin creates the admin when there is no admin at all, checking and inserting in one
// transaction so that concurrent starts create exactly one.
func (s *Store) EnsureAdmin(ctx context.Context, email, passwordHash string, now time.Time) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')`).Scan(&exists); err != nil {
			return fmt.Errorf("look for an admin: %w", err)
		}
		if exists {
			return nil
		}
		if _, err := txEmailLookup(tx).find(ctx, email); err == nil {
			return momentum.ErrConflict
		} else if !errors.Is(err, momentum.ErrNotFound) {
			return fmt.Errorf("look up email: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, 'admin', ?)`,
			email, passwordHash, formatTime(now)); err != nil {
			if isUnique(err) {
				return momentum.ErrConflict
			}
			return fmt.Errorf("insert admin: %w", err)
		}
		created = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("ensure admin %q: %w", email, err)
	}
	return created, nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (momentum.User, error) {
	u, err := scanUser(s.q.userByID.QueryRowContext(ctx, id))
	if err != nil {
		return momentum.User{}, fmt.Errorf("load user %d: %w", id, notFound(err))
	}
	return u, nil
}

// UserByEmail finds a user by normalised email.
func (s *Store) UserByEmail(ctx context.Context, email string) (momentum.User, error) {
	u, err := s.readEmailLookup().find(ctx, email)
	if err != nil {
		return momentum.User{}, fmt.Errorf("load user by email: %w", notFound(err))
	}
	return u, nil
}

// RestaurantByID returns one restaurant.
func (s *Store) RestaurantByID(ctx context.Context, id int64) (momentum.Restaurant, error) {
	r, err := scanRestaurant(s.q.restaurantByID.QueryRowContext(ctx, id))
	if err != nil {
		return momentum.Restaurant{}, fmt.Errorf("load restaurant %d: %w", id, notFound(err))
	}
	return r, nil
}

// RestaurantByUser returns the user's restaurant with the lowest id.
func (s *Store) RestaurantByUser(ctx context.Context, userID int64) (momentum.Restaurant, error) {
	r, err := scanRestaurant(s.q.restaurantByUser.QueryRowContext(ctx, userID))
	if err != nil {
		return momentum.Restaurant{}, fmt.Errorf("load restaurant of user %d: %w", userID, notFound(err))
	}
	return r, nil
}

// CountRestaurants counts every restaurant row.
func (s *Store) CountRestaurants(ctx context.Context) (int64, error) {
	var n int64
	if err := s.q.countRestaurants.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("count restaurants: %w", err)
	}
	return n, nil
}

// likeEscaper makes a search string literal inside LIKE ... ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SearchRestaurants lists restaurants with an existing owner, newest first.
func (s *Store) SearchRestaurants(ctx context.Context, search string) ([]momentum.RestaurantWithOwner, error) {
	var rows *sql.Rows
	var err error
	if search == "" {
		rows, err = s.q.searchAll.QueryContext(ctx)
	} else {
		rows, err = s.q.searchName.QueryContext(ctx, "%"+likeEscaper.Replace(search)+"%")
	}
	if err != nil {
		return nil, fmt.Errorf("search restaurants: %w", err)
	}
	defer rows.Close()
	out := []momentum.RestaurantWithOwner{}
	for rows.Next() {
		var r momentum.RestaurantWithOwner
		var addr, phone sql.NullString
		if err := rows.Scan(&r.ID, &r.UserID, &r.Name, &addr, &phone, timeCol{&r.CreatedAt}, &r.OwnerEmail, timeCol{&r.OwnerCreatedAt}); err != nil {
			return nil, fmt.Errorf("search restaurants: %w", err)
		}
		r.Address, r.Phone = strPtr(addr), strPtr(phone)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search restaurants: %w", err)
	}
	return out, nil
}

// Account loads a user and their restaurant (nil when they have none) in one query.
func (s *Store) Account(ctx context.Context, id int64) (momentum.User, *momentum.Restaurant, error) {
	rows, err := sqlitefile.Query(ctx, s.snap, qAccount, []any{id}, scanAccount)
	if err == nil && len(rows) == 0 {
		err = momentum.ErrNotFound
	}
	if err != nil {
		return momentum.User{}, nil, fmt.Errorf("load account %d: %w", id, err)
	}
	a := rows[0]
	if a.restaurant != nil {
		// The kept row is shared by later requests: the caller gets a restaurant of its own.
		r := *a.restaurant
		a.restaurant = &r
	}
	return a.user, a.restaurant, nil
}

type account struct {
	user       momentum.User
	restaurant *momentum.Restaurant
}

func scanAccount(sc rowScanner) (account, error) {
	var u momentum.User
	var rid, ruid sql.NullInt64
	var name, addr, phone, created sql.NullString
	if err := sc.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, timeCol{&u.CreatedAt},
		&rid, &ruid, &name, &addr, &phone, &created); err != nil {
		return account{}, err
	}
	if !rid.Valid {
		return account{user: u}, nil
	}
	r := &momentum.Restaurant{ID: rid.Int64, UserID: ruid.Int64, Name: name.String, Address: strPtr(addr), Phone: strPtr(phone)}
	if created.Valid {
		var err error
		if r.CreatedAt, err = parseTime(created.String); err != nil {
			return account{}, fmt.Errorf("restaurant created_at: %w", err)
		}
	}
	return account{user: u, restaurant: r}, nil
}
