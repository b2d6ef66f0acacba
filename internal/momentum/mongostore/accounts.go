package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// A registration is four writes (user, restaurant, tasks, then commit) without a transaction. The
// user is inserted first carrying pending_since, which every read treats as "no such user", and the
// unique index on email_normalized makes it the registration's lock. The commit removes the marker.
//
// A crash part-way leaves a pending user and perhaps a restaurant and tasks. Nothing reads them as
// an account, and the next registration for that email (once the marker is older than the grace
// period, i.e. surely not in flight) discards them and starts over; RepairPendingAccounts does the
// same for every email. An error part-way is compensated at once by deleting what was written.
//
// "Replace" rather than "complete": the crashed attempt never told its client it had succeeded,
// so the new request, with its own password and restaurant, is the one that counts.

// errEmailTaken: the normalised email belongs to a user, committed or pending.
var errEmailTaken = fmt.Errorf("email already registered: %w", momentum.ErrConflict)

// CreateAccount writes a restaurant user, its restaurant and the default tasks (see above).
func (s *Store) CreateAccount(ctx context.Context, a momentum.NewAccount) (momentum.User, momentum.Restaurant, error) {
	now := ts(a.Now)
	norm := momentum.NormalizeEmail(a.Email)
	for range 3 {
		u, err := s.insertUser(ctx, userDoc{
			Email: a.Email, EmailNormalized: norm, PasswordHash: a.PasswordHash, Role: momentum.RoleRestaurant,
			CreatedAt: now, UpdatedAt: now, PendingSince: &now,
		})
		if errors.Is(err, errEmailTaken) {
			discarded, rerr := s.discardStalePending(ctx, norm, now)
			if rerr != nil {
				return momentum.User{}, momentum.Restaurant{}, rerr
			}
			if discarded {
				continue
			}
			return momentum.User{}, momentum.Restaurant{}, fmt.Errorf("create account %q: %w", a.Email, err)
		}
		if err != nil {
			return momentum.User{}, momentum.Restaurant{}, fmt.Errorf("create account %q: %w", a.Email, err)
		}
		r, err := s.completeAccount(ctx, u, a, now)
		if err != nil {
			return momentum.User{}, momentum.Restaurant{}, fmt.Errorf("create account %q: %w", a.Email, err)
		}
		u.PendingSince = nil
		return u.user(), r, nil
	}
	return momentum.User{}, momentum.Restaurant{}, fmt.Errorf("create account %q: %w", a.Email, errEmailTaken)
}

// insertUser inserts d with a new user id; errEmailTaken if the normalised email exists.
func (s *Store) insertUser(ctx context.Context, d userDoc) (userDoc, error) {
	id, err := s.insertWithID(ctx, s.users, collUsers, "user_id", func(id int64) any {
		d.UserID = id
		return d
	})
	if errors.Is(err, errDuplicate) {
		return userDoc{}, errEmailTaken
	}
	if err != nil {
		return userDoc{}, err
	}
	d.UserID = id
	return d, nil
}

// completeAccount writes the restaurant and tasks of the pending user u and commits it, or undoes
// everything it and the caller wrote.
func (s *Store) completeAccount(ctx context.Context, u userDoc, a momentum.NewAccount, now time.Time) (momentum.Restaurant, error) {
	// The legacy server stores '' for an address or phone not given (contract 5.3).
	orEmpty := func(p *string) *string {
		if p == nil {
			e := ""
			return &e
		}
		v := *p
		return &v
	}
	rd := restaurantDoc{UserID: u.UserID, Name: a.RestaurantName, Address: orEmpty(a.Address), Phone: orEmpty(a.Phone), CreatedAt: now, UpdatedAt: now}
	rid, err := s.insertWithID(ctx, s.restaurants, collRestaurants, "restaurant_id", func(id int64) any {
		rd.RestaurantID = id
		return rd
	})
	if err != nil {
		s.discardAccount(ctx, u.UserID)
		return momentum.Restaurant{}, fmt.Errorf("insert restaurant: %w", err)
	}
	rd.RestaurantID = rid

	if err := s.insertDefaultTasks(ctx, rid, now); err != nil {
		s.discardAccount(ctx, u.UserID)
		return momentum.Restaurant{}, err
	}

	res, err := s.users.UpdateOne(ctx,
		bson.D{{Key: "user_id", Value: u.UserID}, {Key: "pending_since", Value: bson.D{{Key: "$exists", Value: true}}}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "pending_since", Value: ""}}}})
	if err != nil {
		s.discardAccount(ctx, u.UserID)
		return momentum.Restaurant{}, fmt.Errorf("commit user %d: %w", u.UserID, err)
	}
	if res.MatchedCount == 0 {
		// We stalled past the grace period and a newer registration discarded our user.
		s.discardAccount(ctx, u.UserID)
		return momentum.Restaurant{}, fmt.Errorf("registration of user %d was superseded: %w", u.UserID, momentum.ErrConflict)
	}
	return rd.restaurant(), nil
}

// insertDefaultTasks writes the four DefaultTasks of a new restaurant, ids ascending in order.
func (s *Store) insertDefaultTasks(ctx context.Context, restaurantID int64, now time.Time) error {
	n := int64(len(momentum.DefaultTasks))
	var err error
	for range maxIDAttempts {
		var last int64
		last, err = s.nextID(ctx, collTasks, n)
		if err != nil {
			return err
		}
		docs := make([]any, n)
		for i, name := range momentum.DefaultTasks {
			zero := int64(0)
			docs[i] = taskDoc{StatusID: last - n + 1 + int64(i), RestaurantID: restaurantID, ChecklistItemName: name, IsComplete: &zero, CreatedAt: now, UpdatedAt: now}
		}
		_, err = s.tasks.InsertMany(ctx, docs)
		if err == nil {
			return nil
		}
		// Part of an ordered batch may be in; the restaurant is brand new, so its tasks are all ours.
		if _, derr := s.tasks.DeleteMany(ctx, bson.D{{Key: "restaurant_id", Value: restaurantID}}); derr != nil {
			return fmt.Errorf("insert tasks: %w (and undoing: %v)", err, derr)
		}
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	return fmt.Errorf("insert default tasks of restaurant %d: %w", restaurantID, err)
}

// discardStalePending discards the pending registration holding norm when it is older than the
// grace period. It reports whether the email may be tried again.
func (s *Store) discardStalePending(ctx context.Context, norm string, now time.Time) (bool, error) {
	var u userDoc
	err := s.users.FindOne(ctx, bson.D{{Key: "email_normalized", Value: norm}}).Decode(&u)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return true, nil // it went away meanwhile (a failed attempt undone)
	}
	if err != nil {
		return false, fmt.Errorf("load user %q: %w", norm, err)
	}
	if u.PendingSince == nil || now.Sub(*u.PendingSince) < s.grace {
		return false, nil
	}
	if err := s.discardUserData(ctx, u.UserID); err != nil {
		return false, err
	}
	return true, nil
}

// RepairPendingAccounts discards every registration left unfinished for longer than the grace
// period at now (crashed between its writes) and returns how many. The next registration for such
// an email would do it anyway; this is for a periodic job or a start-up hook.
func (s *Store) RepairPendingAccounts(ctx context.Context, now time.Time) (int, error) {
	cutoff := ts(now).Add(-s.grace)
	var stale []userDoc
	if err := findAll(ctx, s.users, bson.D{{Key: "pending_since", Value: bson.D{{Key: "$lte", Value: cutoff}}}}, &stale); err != nil {
		return 0, err
	}
	for i, u := range stale {
		if err := s.discardUserData(ctx, u.UserID); err != nil {
			return i, err
		}
	}
	return len(stale), nil
}

// discardAccount undoes a failed registration, even when ctx is already cancelled. It is best
// effort: whatever it cannot delete is still pending, and so repaired later.
func (s *Store) discardAccount(ctx context.Context, userID int64) {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	_ = s.discardUserData(cctx, userID)
}

// discardUserData deletes a pending user's tasks, restaurants and the user, in that order, so that
// at every step what is left is still reachable from the pending user. A committed user is never
// touched: the user delete is conditional on the marker, and only pending users reach here.
func (s *Store) discardUserData(ctx context.Context, userID int64) error {
	var rs []restaurantDoc
	if err := findAll(ctx, s.restaurants, bson.D{{Key: "user_id", Value: userID}}, &rs,
		options.Find().SetProjection(bson.D{{Key: "restaurant_id", Value: 1}})); err != nil {
		return err
	}
	if len(rs) > 0 {
		ids := make([]int64, len(rs))
		for i, r := range rs {
			ids[i] = r.RestaurantID
		}
		if _, err := s.tasks.DeleteMany(ctx, bson.D{{Key: "restaurant_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
			return fmt.Errorf("discard tasks of pending user %d: %w", userID, err)
		}
		if _, err := s.restaurants.DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}}); err != nil {
			return fmt.Errorf("discard restaurants of pending user %d: %w", userID, err)
		}
	}
	if _, err := s.users.DeleteOne(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "pending_since", Value: bson.D{{Key: "$exists", Value: true}}}}); err != nil {
		return fmt.Errorf("discard pending user %d: %w", userID, err)
	}
	return nil
}

// adminClaimID is the counters document EnsureAdmin inserts to elect one creator among concurrent
// callers: the insert is atomic on _id on every server, unlike a read-then-insert of the admin.
const adminClaimID = "admin_bootstrap"

// EnsureAdmin creates an admin with this email and hash when no admin exists at all. Concurrent
// callers create at most one: they first race to insert the claim document; the losers answer false.
// A claim older than the grace period with still no admin (its winner crashed) is taken over.
func (s *Store) EnsureAdmin(ctx context.Context, email, passwordHash string, now time.Time) (bool, error) {
	now = ts(now)
	for range 3 {
		has, err := exists(ctx, s.users, bson.D{{Key: "role", Value: momentum.RoleAdmin}, notPending()})
		if err != nil {
			return false, err
		}
		if has {
			return false, nil
		}
		token := bson.NewObjectID()
		_, err = s.counters.InsertOne(ctx, bson.D{{Key: "_id", Value: adminClaimID}, {Key: "token", Value: token}, {Key: "email", Value: email}, {Key: "at", Value: now}})
		if mongo.IsDuplicateKeyError(err) {
			var claim struct {
				Token bson.ObjectID `bson:"token"`
				At    time.Time     `bson:"at"`
			}
			if err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: adminClaimID}}).Decode(&claim); err != nil {
				if errors.Is(err, mongo.ErrNoDocuments) {
					continue // released meanwhile
				}
				return false, fmt.Errorf("load admin claim: %w", err)
			}
			if now.Sub(claim.At) < s.grace {
				return false, nil // another caller is creating the admin
			}
			if _, err := s.counters.DeleteOne(ctx, bson.D{{Key: "_id", Value: adminClaimID}, {Key: "token", Value: claim.Token}}); err != nil {
				return false, fmt.Errorf("take over stale admin claim: %w", err)
			}
			continue
		}
		if err != nil {
			return false, fmt.Errorf("claim admin creation: %w", err)
		}

		_, err = s.insertUser(ctx, userDoc{
			Email: email, EmailNormalized: momentum.NormalizeEmail(email), PasswordHash: passwordHash, Role: momentum.RoleAdmin,
			CreatedAt: now, UpdatedAt: now,
		})
		if err != nil {
			// Release the claim so a corrected retry is not blocked for the grace period.
			cctx, cancel := cleanupContext(ctx)
			_, _ = s.counters.DeleteOne(cctx, bson.D{{Key: "_id", Value: adminClaimID}, {Key: "token", Value: token}})
			cancel()
			return false, fmt.Errorf("create admin %q: %w", email, err)
		}
		return true, nil
	}
	return false, fmt.Errorf("create admin %q: the admin claim keeps changing hands", email)
}

// UserByID returns a committed user.
func (s *Store) UserByID(ctx context.Context, id int64) (momentum.User, error) {
	var d userDoc
	if err := findOne(ctx, s.users, bson.D{{Key: "user_id", Value: id}, notPending()}, &d, fmt.Sprintf("user %d", id)); err != nil {
		return momentum.User{}, err
	}
	return d.user(), nil
}

// UserByEmail matches on the normalised email.
func (s *Store) UserByEmail(ctx context.Context, email string) (momentum.User, error) {
	var d userDoc
	norm := momentum.NormalizeEmail(email)
	if err := findOne(ctx, s.users, bson.D{{Key: "email_normalized", Value: norm}, notPending()}, &d, fmt.Sprintf("user %q", norm)); err != nil {
		return momentum.User{}, err
	}
	return d.user(), nil
}
