// Package momentum holds the Momentum domain: its records, the Store they live in, and the Service
// that applies the business and authorization rules on top of a Store. It knows nothing of HTTP or of
// any particular database.
package momentum

import (
	"errors"
	"strings"
	"time"
)

// Sentinel errors every Store adapter returns (wrapped) so the service can tell cases apart without
// knowing the database.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Roles, exactly as the legacy users.role column stores them.
const (
	RoleAdmin      = "admin"
	RoleRestaurant = "restaurant"
)

// Checklist category types and item statuses, as the legacy CHECK constraints allow them.
const (
	TypeFoundational = "foundational"
	TypeOngoing      = "ongoing"

	StatusPending       = "pending"
	StatusInProgress    = "in_progress"
	StatusCompleted     = "completed"
	StatusNotApplicable = "not_applicable"
)

// Campaign types and statuses (legacy CHECK constraints).
const (
	CampaignAd  = "ad"
	CampaignSMS = "sms"

	CampaignActive    = "active"
	CampaignDraft     = "draft"
	CampaignCompleted = "completed"
	CampaignPaused    = "paused"
)

// TimeLayout is how the legacy server stores and returns every timestamp (SQLite CURRENT_TIMESTAMP, UTC).
const TimeLayout = "2006-01-02 15:04:05"

// FormatTime renders t the way the legacy API does.
func FormatTime(t time.Time) string { return string(AppendTime(make([]byte, 0, len(TimeLayout)), t)) }

// AppendTime appends t in TimeLayout (UTC), as t.UTC().AppendFormat(b, TimeLayout) does, without the
// layout interpretation: every timestamp of every response goes through it, and the checklist page
// has one per item.
func AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, TimeLayout)
	}
	hour, minute, sec := t.Clock()
	return append(b,
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), ' ',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10))
}

// NormalizeEmail is the one definition of email identity: `A@x.com` and ` a@x.com ` are one account.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// User is a row of users. Email is kept as stored; lookups compare NormalizeEmail forms.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
}

// Restaurant is a row of restaurants. Address and Phone are nullable in the legacy schema.
type Restaurant struct {
	ID        int64
	UserID    int64
	Name      string
	Address   *string
	Phone     *string
	CreatedAt time.Time
}

// RestaurantWithOwner is a restaurant joined with its owner, for the admin list.
type RestaurantWithOwner struct {
	Restaurant
	OwnerEmail     string
	OwnerCreatedAt time.Time
}

// Task is a row of the legacy checklist_status table: the dashboard's "What's next" list.
// IsComplete is nil when the legacy server stored NULL (see contract 3.11).
type Task struct {
	ID           int64
	RestaurantID int64
	Name         string
	IsComplete   *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DefaultTasks are the four tasks every new restaurant starts with, in legacy order.
var DefaultTasks = [...]string{
	"Complete your Google Business Profile setup",
	"Upload high-quality photos of your dishes",
	"Set up your social media accounts",
	"Create your first customer list",
}

// Category is a row of checklist_categories.
type Category struct {
	ID          int64
	Name        string
	Description *string
	Icon        *string
	Type        string
	OrderInList int64
	CreatedAt   time.Time
}

// Item is a row of checklist_items.
type Item struct {
	ID              int64
	CategoryID      int64
	ParentItemID    *int64
	Title           string
	Description     *string
	GuidanceLink    *string
	OrderInCategory int64
	IsCritical      bool
	CreatedAt       time.Time
}

// ItemStatus is a row of restaurant_checklist_status: one restaurant's progress on one item.
type ItemStatus struct {
	ID            int64
	RestaurantID  int64
	ItemID        int64
	Status        string
	Notes         *string
	LastUpdatedAt time.Time
}

// StatusDetail is an ItemStatus joined with its item and category (GET /api/checklist/status/:id).
type StatusDetail struct {
	ItemStatus
	Title        string
	CategoryID   int64
	CategoryName string
	CategoryType string
}

// Campaign is a row of campaigns. Details is a JSON document (as text); ExternalID is the provider's id
// (`camp_…`, `sms_…`) the client receives and later asks about.
type Campaign struct {
	ID           int64
	RestaurantID int64
	Type         string
	Status       string
	Name         string
	Details      string
	Budget       *float64
	ExternalID   string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Session is a server-side impersonation session; the impersonation token carries its ID.
type Session struct {
	ID                        string
	UserID                    int64
	ImpersonatingRestaurantID *int64
	CreatedAt                 time.Time
	ExpiresAt                 time.Time
}

// ImpersonationEvent is one line of the impersonation audit trail.
type ImpersonationEvent struct {
	ID           int64
	AdminUserID  int64
	AdminEmail   string
	RestaurantID int64
	SessionID    string
	Action       string // "start" | "end"
	At           time.Time
}

// NewAccount is what registration writes: a restaurant user, its restaurant and its default tasks.
type NewAccount struct {
	Email          string // as sent (trimmed); uniqueness is on NormalizeEmail(Email)
	PasswordHash   string
	RestaurantName string
	Address        *string
	Phone          *string
	Now            time.Time
}

// SeedCategory is one category of the checklist catalogue with its items, as the seed defines it.
type SeedCategory struct {
	Name        string
	Description string
	Icon        string
	Type        string
	OrderInList int64
	Items       []SeedItem
}

// SeedItem is one item of the checklist catalogue.
type SeedItem struct {
	Title           string
	Description     string
	GuidanceLink    *string
	OrderInCategory int64
	IsCritical      bool
}

// SeedResult says what SeedCatalogue changed.
type SeedResult struct {
	CategoriesCreated, CategoriesUpdated int
	ItemsCreated, ItemsUpdated           int
}
