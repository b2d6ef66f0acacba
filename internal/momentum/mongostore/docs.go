package mongostore

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// The document types mirror internal/momentum/mongostore/MODEL.md field by field. _id is left to the server.
// Nullable legacy columns are pointers without omitempty, so they are stored as null.

type userDoc struct {
	UserID          int64      `bson:"user_id"`
	Email           string     `bson:"email"`
	EmailNormalized string     `bson:"email_normalized"`
	PasswordHash    string     `bson:"password_hash"`
	Role            string     `bson:"role"`
	CreatedAt       time.Time  `bson:"created_at"`
	UpdatedAt       time.Time  `bson:"updated_at"`
	PendingSince    *time.Time `bson:"pending_since,omitempty"`
}

func (d userDoc) user() momentum.User {
	return momentum.User{ID: d.UserID, Email: d.Email, PasswordHash: d.PasswordHash, Role: d.Role, CreatedAt: ts(d.CreatedAt)}
}

type restaurantDoc struct {
	RestaurantID int64     `bson:"restaurant_id"`
	UserID       int64     `bson:"user_id"`
	Name         string    `bson:"name"`
	Address      *string   `bson:"address"`
	Phone        *string   `bson:"phone"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
}

func (d restaurantDoc) restaurant() momentum.Restaurant {
	return momentum.Restaurant{ID: d.RestaurantID, UserID: d.UserID, Name: d.Name, Address: d.Address, Phone: d.Phone, CreatedAt: ts(d.CreatedAt)}
}

type taskDoc struct {
	StatusID          int64     `bson:"status_id"`
	RestaurantID      int64     `bson:"restaurant_id"`
	ChecklistItemName string    `bson:"checklist_item_name"`
	IsComplete        *int64    `bson:"is_complete"`
	CreatedAt         time.Time `bson:"created_at"`
	UpdatedAt         time.Time `bson:"updated_at"`
}

func (d taskDoc) task() momentum.Task {
	return momentum.Task{ID: d.StatusID, RestaurantID: d.RestaurantID, Name: d.ChecklistItemName, IsComplete: d.IsComplete, CreatedAt: ts(d.CreatedAt), UpdatedAt: ts(d.UpdatedAt)}
}

type categoryDoc struct {
	CategoryID  int64     `bson:"category_id"`
	Name        string    `bson:"name"`
	Description *string   `bson:"description"`
	Icon        *string   `bson:"icon"`
	Type        string    `bson:"type"`
	OrderInList int64     `bson:"order_in_list"`
	CreatedAt   time.Time `bson:"created_at"`
}

func (d categoryDoc) category() momentum.Category {
	return momentum.Category{ID: d.CategoryID, Name: d.Name, Description: d.Description, Icon: d.Icon, Type: d.Type, OrderInList: d.OrderInList, CreatedAt: ts(d.CreatedAt)}
}

type itemDoc struct {
	ItemID          int64     `bson:"item_id"`
	CategoryID      int64     `bson:"category_id"`
	ParentItemID    *int64    `bson:"parent_item_id"`
	Title           string    `bson:"title"`
	Description     *string   `bson:"description"`
	GuidanceLink    *string   `bson:"guidance_link"`
	OrderInCategory int64     `bson:"order_in_category"`
	IsCritical      bool      `bson:"is_critical"`
	CreatedAt       time.Time `bson:"created_at"`
}

func (d itemDoc) item() momentum.Item {
	return momentum.Item{ID: d.ItemID, CategoryID: d.CategoryID, ParentItemID: d.ParentItemID, Title: d.Title, Description: d.Description,
		GuidanceLink: d.GuidanceLink, OrderInCategory: d.OrderInCategory, IsCritical: d.IsCritical, CreatedAt: ts(d.CreatedAt)}
}

type statusDoc struct {
	StatusID      int64     `bson:"status_id"`
	RestaurantID  int64     `bson:"restaurant_id"`
	ItemID        int64     `bson:"item_id"`
	Status        string    `bson:"status"`
	Notes         *string   `bson:"notes"`
	LastUpdatedAt time.Time `bson:"last_updated_at"`
}

func (d statusDoc) itemStatus() momentum.ItemStatus {
	return momentum.ItemStatus{ID: d.StatusID, RestaurantID: d.RestaurantID, ItemID: d.ItemID, Status: d.Status, Notes: d.Notes, LastUpdatedAt: ts(d.LastUpdatedAt)}
}

type campaignDoc struct {
	CampaignID   int64         `bson:"campaign_id"`
	RestaurantID int64         `bson:"restaurant_id"`
	CampaignType string        `bson:"campaign_type"`
	Status       string        `bson:"status"`
	Name         string        `bson:"name"`
	Details      bson.RawValue `bson:"details"`
	Budget       *float64      `bson:"budget"`
	ExternalID   *string       `bson:"external_id"`
	CreatedAt    time.Time     `bson:"created_at"`
	UpdatedAt    time.Time     `bson:"updated_at"`
}

// campaignWrite is campaignDoc as written: details is a document, a string or null.
type campaignWrite struct {
	CampaignID   int64     `bson:"campaign_id"`
	RestaurantID int64     `bson:"restaurant_id"`
	CampaignType string    `bson:"campaign_type"`
	Status       string    `bson:"status"`
	Name         string    `bson:"name"`
	Details      any       `bson:"details"`
	Budget       *float64  `bson:"budget"`
	ExternalID   *string   `bson:"external_id"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
}

func (d campaignDoc) campaign() momentum.Campaign {
	c := momentum.Campaign{ID: d.CampaignID, RestaurantID: d.RestaurantID, Type: d.CampaignType, Status: d.Status, Name: d.Name,
		Details: detailsText(d.Details), Budget: d.Budget, CreatedAt: ts(d.CreatedAt), UpdatedAt: ts(d.UpdatedAt)}
	if d.ExternalID != nil {
		c.ExternalID = *d.ExternalID
	}
	return c
}

type sessionDoc struct {
	SessionID                 string    `bson:"session_id"`
	UserID                    int64     `bson:"user_id"`
	ImpersonatingRestaurantID *int64    `bson:"impersonating_restaurant_id"`
	CreatedAt                 time.Time `bson:"created_at"`
	ExpiresAt                 time.Time `bson:"expires_at"`
}

func (d sessionDoc) session() momentum.Session {
	return momentum.Session{ID: d.SessionID, UserID: d.UserID, ImpersonatingRestaurantID: d.ImpersonatingRestaurantID, CreatedAt: ts(d.CreatedAt), ExpiresAt: ts(d.ExpiresAt)}
}

type eventDoc struct {
	EventID      int64     `bson:"event_id"`
	AdminUserID  int64     `bson:"admin_user_id"`
	AdminEmail   string    `bson:"admin_email"`
	RestaurantID int64     `bson:"restaurant_id"`
	SessionID    string    `bson:"session_id"`
	Action       string    `bson:"action"`
	At           time.Time `bson:"at"`
}

func (d eventDoc) event() momentum.ImpersonationEvent {
	return momentum.ImpersonationEvent{ID: d.EventID, AdminUserID: d.AdminUserID, AdminEmail: d.AdminEmail, RestaurantID: d.RestaurantID,
		SessionID: d.SessionID, Action: d.Action, At: ts(d.At)}
}
