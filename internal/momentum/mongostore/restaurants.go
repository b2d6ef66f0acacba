package mongostore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// RestaurantByID returns one restaurant.
func (s *Store) RestaurantByID(ctx context.Context, id int64) (momentum.Restaurant, error) {
	var d restaurantDoc
	if err := findOne(ctx, s.restaurants, bson.D{{Key: "restaurant_id", Value: id}}, &d, fmt.Sprintf("restaurant %d", id)); err != nil {
		return momentum.Restaurant{}, err
	}
	return d.restaurant(), nil
}

// RestaurantByUser returns the user's restaurant with the lowest id.
func (s *Store) RestaurantByUser(ctx context.Context, userID int64) (momentum.Restaurant, error) {
	var d restaurantDoc
	err := findOne(ctx, s.restaurants, bson.D{{Key: "user_id", Value: userID}}, &d, fmt.Sprintf("restaurant of user %d", userID),
		options.FindOne().SetSort(sortAsc("restaurant_id")))
	if err != nil {
		return momentum.Restaurant{}, err
	}
	return d.restaurant(), nil
}

// CountRestaurants counts every restaurant document.
func (s *Store) CountRestaurants(ctx context.Context) (int64, error) {
	n, err := s.restaurants.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count restaurants: %w", err)
	}
	return n, nil
}

// SearchRestaurants lists restaurants with their (committed) owners, newest first. The join is a
// second query by owner ids: FerretDB v1 has no $lookup.
func (s *Store) SearchRestaurants(ctx context.Context, search string) ([]momentum.RestaurantWithOwner, error) {
	filter := bson.D{}
	if search != "" {
		if !utf8.ValidString(search) {
			// Names are valid UTF-8, so none contains it; the server would reject the pattern.
			return []momentum.RestaurantWithOwner{}, nil
		}
		// A literal, case-insensitive substring. QuoteMeta's escapes mean the same in PCRE; a NUL
		// cannot travel in a BSON regex, so it goes as an escape.
		pattern := strings.ReplaceAll(regexp.QuoteMeta(search), "\x00", `\x00`)
		filter = bson.D{{Key: "name", Value: bson.Regex{Pattern: pattern, Options: "i"}}}
	}
	var rs []restaurantDoc
	if err := findAll(ctx, s.restaurants, filter, &rs, options.Find().SetSort(sortDesc("created_at", "restaurant_id"))); err != nil {
		return nil, err
	}
	ownerIDs := make([]int64, 0, len(rs))
	seen := map[int64]bool{}
	for _, r := range rs {
		if !seen[r.UserID] {
			seen[r.UserID] = true
			ownerIDs = append(ownerIDs, r.UserID)
		}
	}
	owners := make(map[int64]userDoc, len(ownerIDs))
	for _, chunk := range inChunks(ownerIDs, 1000) {
		var us []userDoc
		err := findAll(ctx, s.users, bson.D{{Key: "user_id", Value: bson.D{{Key: "$in", Value: chunk}}}, notPending()}, &us,
			options.Find().SetProjection(bson.D{{Key: "user_id", Value: 1}, {Key: "email", Value: 1}, {Key: "created_at", Value: 1}}))
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			owners[u.UserID] = u
		}
	}
	out := make([]momentum.RestaurantWithOwner, 0, len(rs))
	for _, r := range rs {
		u, ok := owners[r.UserID]
		if !ok {
			continue // the legacy INNER JOIN drops restaurants without an owner
		}
		out = append(out, momentum.RestaurantWithOwner{Restaurant: r.restaurant(), OwnerEmail: u.Email, OwnerCreatedAt: ts(u.CreatedAt)})
	}
	return out, nil
}

// PendingTasks returns up to limit incomplete tasks, oldest first; limit <= 0 means all (as in
// sqlitestore).
func (s *Store) PendingTasks(ctx context.Context, restaurantID int64, limit int) ([]momentum.Task, error) {
	opts := options.Find().SetSort(sortAsc("created_at", "status_id"))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	var ds []taskDoc
	err := findAll(ctx, s.tasks, bson.D{{Key: "restaurant_id", Value: restaurantID}, {Key: "is_complete", Value: int64(0)}}, &ds, opts)
	if err != nil {
		return nil, err
	}
	out := make([]momentum.Task, len(ds))
	for i, d := range ds {
		out[i] = d.task()
	}
	return out, nil
}

// SetTaskComplete sets is_complete (1/0) of one of the restaurant's tasks.
func (s *Store) SetTaskComplete(ctx context.Context, restaurantID, taskID int64, complete bool, now time.Time) error {
	v := int64(0)
	if complete {
		v = 1
	}
	res, err := s.tasks.UpdateOne(ctx,
		bson.D{{Key: "status_id", Value: taskID}, {Key: "restaurant_id", Value: restaurantID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "is_complete", Value: v}, {Key: "updated_at", Value: ts(now)}}}})
	if err != nil {
		return fmt.Errorf("update task %d: %w", taskID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("task %d of restaurant %d: %w", taskID, restaurantID, momentum.ErrNotFound)
	}
	return nil
}

// SetTaskCompleteAs reads the account and then sets the task: a MongoDB request's reads are
// documents of their own, with nothing to share a transaction for.
func (s *Store) SetTaskCompleteAs(ctx context.Context, userID, taskID int64, complete bool, now time.Time,
	allow func(a momentum.AccountRole, ok bool) (int64, error)) error {
	u, own, err := s.Account(ctx, userID)
	found := err == nil
	if errors.Is(err, momentum.ErrNotFound) {
		err = nil
	}
	if err != nil {
		return err
	}
	a := momentum.AccountRole{Role: u.Role}
	if own != nil {
		a.RestaurantID = own.ID
	}
	rid, err := allow(a, found)
	if err != nil || rid == 0 {
		return err
	}
	return s.SetTaskComplete(ctx, rid, taskID, complete, now)
}

// CountRestaurantsWithPendingTasks counts distinct restaurants having a task with is_complete = 0.
func (s *Store) CountRestaurantsWithPendingTasks(ctx context.Context) (int64, error) {
	cur, err := s.tasks.Aggregate(ctx, bson.A{
		bson.D{{Key: "$match", Value: bson.D{{Key: "is_complete", Value: int64(0)}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$restaurant_id"}}}},
		bson.D{{Key: "$count", Value: "n"}},
	})
	if err != nil {
		return 0, fmt.Errorf("count restaurants with pending tasks: %w", err)
	}
	var res []struct {
		N int64 `bson:"n"`
	}
	if err := cur.All(ctx, &res); err != nil {
		return 0, fmt.Errorf("count restaurants with pending tasks: %w", err)
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0].N, nil
}

// Account loads a user and their restaurant (nil when they have none). MongoDB has no join worth a
// $lookup here (and FerretDB v1 lacks it): two indexed point reads.
func (s *Store) Account(ctx context.Context, id int64) (momentum.User, *momentum.Restaurant, error) {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return momentum.User{}, nil, err
	}
	r, err := s.RestaurantByUser(ctx, id)
	if errors.Is(err, momentum.ErrNotFound) {
		return u, nil, nil
	}
	if err != nil {
		return momentum.User{}, nil, err
	}
	return u, &r, nil
}
