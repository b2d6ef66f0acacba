package api

import (
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// Response shapes, with keys in the legacy order (the order of the legacy object literals and of the
// legacy tables' columns). Integers stay integers, flags are 0/1 numbers (the client tests
// `is_critical === 1`), timestamps are "YYYY-MM-DD HH:MM:SS" UTC strings.

type restaurantView struct {
	RestaurantID int64   `json:"restaurant_id"`
	UserID       int64   `json:"user_id"`
	Name         string  `json:"name"`
	Address      *string `json:"address"`
	Phone        *string `json:"phone"`
	CreatedAt    string  `json:"created_at"`
}

func viewRestaurant(r *momentum.Restaurant) *restaurantView {
	if r == nil {
		return nil
	}
	return &restaurantView{RestaurantID: r.ID, UserID: r.UserID, Name: r.Name, Address: r.Address, Phone: r.Phone, CreatedAt: ts(r.CreatedAt)}
}

func ts(t time.Time) string { return momentum.FormatTime(t) }

func tsPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := ts(*t)
	return &s
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

type taskView struct {
	StatusID          int64  `json:"status_id"`
	RestaurantID      int64  `json:"restaurant_id"`
	ChecklistItemName string `json:"checklist_item_name"`
	IsComplete        *int64 `json:"is_complete"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

type campaignView struct {
	CampaignID   int64    `json:"campaign_id"`
	RestaurantID int64    `json:"restaurant_id"`
	CampaignType string   `json:"campaign_type"`
	Status       string   `json:"status"`
	Name         string   `json:"name"`
	Details      *string  `json:"details"`
	Budget       *float64 `json:"budget"`
	CreatedAt    string   `json:"created_at"`
	UpdatedAt    string   `json:"updated_at"`
	ExternalID   *string  `json:"external_id"`
}

func viewCampaigns(list []momentum.Campaign) []campaignView {
	out := make([]campaignView, len(list))
	for i, c := range list {
		v := campaignView{CampaignID: c.ID, RestaurantID: c.RestaurantID, CampaignType: c.Type, Status: c.Status, Name: c.Name,
			Budget: c.Budget, CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt)}
		if c.Details != "" {
			d := c.Details
			v.Details = &d
		}
		if c.ExternalID != "" {
			e := c.ExternalID
			v.ExternalID = &e
		}
		out[i] = v
	}
	return out
}

type categoryView struct {
	CategoryID  int64   `json:"category_id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Icon        *string `json:"icon"`
	Type        string  `json:"type"`
	OrderInList int64   `json:"order_in_list"`
	CreatedAt   string  `json:"created_at"`
}

func viewCategory(c *momentum.Category) categoryView {
	return categoryView{CategoryID: c.ID, Name: c.Name, Description: c.Description, Icon: c.Icon, Type: c.Type, OrderInList: c.OrderInList, CreatedAt: ts(c.CreatedAt)}
}

type itemView struct {
	ItemID          int64   `json:"item_id"`
	CategoryID      int64   `json:"category_id"`
	ParentItemID    *int64  `json:"parent_item_id"`
	Title           string  `json:"title"`
	Description     *string `json:"description"`
	GuidanceLink    *string `json:"guidance_link"`
	OrderInCategory int64   `json:"order_in_category"`
	IsCritical      int     `json:"is_critical"`
	CreatedAt       string  `json:"created_at"`
}

func viewItem(it *momentum.Item) itemView {
	return itemView{ItemID: it.ID, CategoryID: it.CategoryID, ParentItemID: it.ParentItemID, Title: it.Title, Description: it.Description,
		GuidanceLink: it.GuidanceLink, OrderInCategory: it.OrderInCategory, IsCritical: flag(it.IsCritical), CreatedAt: ts(it.CreatedAt)}
}

type statusView struct {
	StatusID      int64   `json:"status_id"`
	RestaurantID  int64   `json:"restaurant_id"`
	ItemID        int64   `json:"item_id"`
	Status        string  `json:"status"`
	Notes         *string `json:"notes"`
	LastUpdatedAt string  `json:"last_updated_at"`
	Title         string  `json:"title"`
	CategoryID    int64   `json:"category_id"`
	CategoryName  string  `json:"category_name"`
	CategoryType  string  `json:"category_type"`
}

type progressView struct {
	TotalItems                   int `json:"totalItems"`
	CompletedItems               int `json:"completedItems"`
	CompletionPercentage         int `json:"completionPercentage"`
	CriticalItems                int `json:"criticalItems"`
	CompletedCriticalItems       int `json:"completedCriticalItems"`
	CriticalCompletionPercentage int `json:"criticalCompletionPercentage"`
}
