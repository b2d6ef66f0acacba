package momentum

import (
	"context"
	"time"
)

// Store is everything Momentum persists. Adapters: sqlitestore (legacy schema, the default) and
// mongostore (MongoDB). Both pass the one contract suite in storetest.
//
// Conventions every adapter follows:
//   - not found is an error wrapping ErrNotFound; a uniqueness violation wraps ErrConflict;
//   - ids are the legacy integer ids, allocated by the adapter (AUTOINCREMENT or an atomic counter);
//   - times are stored and returned in UTC with whole-second precision (legacy format);
//   - ordering is as documented per method, with ties broken by id ascending unless noted.
//
// AccountRole is what the policy reads of an account to decide what it may act on: its role and its
// own restaurant (the lowest restaurant id of the user's, 0 for none).
type AccountRole struct {
	Role         string
	RestaurantID int64
}

type Store interface {
	// Ping reports whether the database is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error

	// CreateAccount writes a restaurant user, its restaurant and the four DefaultTasks as one unit:
	// either all of it exists afterwards, or none of it does (or, where the database cannot do that
	// atomically, what is left is repaired by the next CreateAccount for the same email). A user whose
	// normalised email already exists gives ErrConflict.
	CreateAccount(ctx context.Context, a NewAccount) (User, Restaurant, error)
	// EnsureAdmin creates an admin user with this email and hash when no admin exists at all.
	EnsureAdmin(ctx context.Context, email, passwordHash string, now time.Time) (created bool, err error)
	UserByID(ctx context.Context, id int64) (User, error)
	// Account returns UserByID and RestaurantByUser in one call (restaurant nil when the user has none),
	// because nearly every request needs both.
	Account(ctx context.Context, id int64) (User, *Restaurant, error)
	// UserByEmail matches on NormalizeEmail, so legacy mixed-case rows are found too.
	UserByEmail(ctx context.Context, email string) (User, error)

	RestaurantByID(ctx context.Context, id int64) (Restaurant, error)
	// RestaurantByUser returns the user's restaurant (the lowest restaurant id if there are several).
	RestaurantByUser(ctx context.Context, userID int64) (Restaurant, error)
	CountRestaurants(ctx context.Context) (int64, error)
	// SearchRestaurants lists restaurants whose owner exists, newest created_at first (ties: higher id
	// first), filtered by a case-insensitive substring of the name when search is not empty. search is a
	// literal: % and _ match only themselves.
	SearchRestaurants(ctx context.Context, search string) ([]RestaurantWithOwner, error)

	// PendingTasks returns up to limit tasks of the restaurant with is_complete = 0, oldest first.
	PendingTasks(ctx context.Context, restaurantID int64, limit int) ([]Task, error)
	// SetTaskComplete sets one task of that restaurant; ErrNotFound if the task is not the restaurant's.
	SetTaskComplete(ctx context.Context, restaurantID, taskID int64, complete bool, now time.Time) error
	// SetTaskCompleteAs is SetTaskComplete on behalf of the account userID: it reads what the policy
	// needs of the account (ok false when there is none), asks allow which restaurant that account
	// may set the task of, and sets it there, as one write transaction where the store can (a request
	// then costs one transaction, not a read and then a write). An error from allow is returned as it
	// is, with nothing written. allow must not call the store.
	SetTaskCompleteAs(ctx context.Context, userID, taskID int64, complete bool, now time.Time,
		allow func(a AccountRole, ok bool) (restaurantID int64, err error)) error
	// CountRestaurantsWithPendingTasks counts distinct restaurants having a task with is_complete = 0.
	CountRestaurantsWithPendingTasks(ctx context.Context) (int64, error)

	// Categories lists the catalogue's categories by order_in_list; typ "" means all types.
	Categories(ctx context.Context, typ string) ([]Category, error)
	// Items lists the catalogue's items, by category order_in_list then order_in_category; typ "" means
	// all types.
	Items(ctx context.Context, typ string) ([]Item, error)
	// ItemsByCategory lists one category's items by order_in_category (empty for an unknown category).
	ItemsByCategory(ctx context.Context, categoryID int64) ([]Item, error)
	CategoryByID(ctx context.Context, id int64) (Category, error)
	ItemByID(ctx context.Context, id int64) (Item, error)
	// SeedCatalogue creates or updates the catalogue in place: categories are matched by name, items by
	// (category, title). Existing ids and every restaurant's progress are kept.
	SeedCatalogue(ctx context.Context, cats []SeedCategory, now time.Time) (SeedResult, error)
	// CatalogueEmpty reports whether there is no category at all.
	CatalogueEmpty(ctx context.Context) (bool, error)

	// Statuses lists a restaurant's item statuses joined with item and category, by item id.
	Statuses(ctx context.Context, restaurantID int64) ([]StatusDetail, error)
	// ItemStatuses lists a restaurant's item statuses alone, by item id: what the checklist page
	// merges into the catalogue, without the join Statuses makes.
	ItemStatuses(ctx context.Context, restaurantID int64) ([]ItemStatus, error)
	// UpsertStatus sets the status of one item for one restaurant, keeping the row's id when it exists.
	UpsertStatus(ctx context.Context, restaurantID, itemID int64, status string, notes *string, now time.Time) (ItemStatus, error)

	// CreateCampaign stores c (ID, CreatedAt and UpdatedAt are set by the caller except ID).
	CreateCampaign(ctx context.Context, c Campaign) (Campaign, error)
	// CampaignByExternalID finds one of the restaurant's campaigns by its provider id.
	CampaignByExternalID(ctx context.Context, restaurantID int64, externalID string) (Campaign, error)
	// Campaigns lists a restaurant's campaigns, newest created_at first (ties: higher id first); status ""
	// means any status; limit <= 0 means no limit.
	Campaigns(ctx context.Context, restaurantID int64, status string, limit int) ([]Campaign, error)
	// CountCampaignsSince counts campaigns created at or after since; restaurantID 0 means all restaurants.
	CountCampaignsSince(ctx context.Context, restaurantID int64, since time.Time) (int64, error)

	CreateSession(ctx context.Context, s Session) error
	// SessionByID returns a session that has not expired at now; an expired one is ErrNotFound.
	SessionByID(ctx context.Context, id string, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	LogImpersonation(ctx context.Context, e ImpersonationEvent) error
	ImpersonationLog(ctx context.Context, limit int) ([]ImpersonationEvent, error)
}
