package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// Column lists. Timestamps are selected as CAST(... AS TEXT) so the driver hands over the stored text
// untouched (it would otherwise try several time layouts on every DATETIME value) and parseTime reads
// it. Columns are always named: the committed legacy file has checklist_categories' columns in a
// different order than a fresh one.
const (
	userCols       = `user_id, email, password_hash, role, CAST(created_at AS TEXT)`
	restaurantCols = `restaurant_id, user_id, name, address, phone, CAST(created_at AS TEXT)`
	taskCols       = `status_id, restaurant_id, checklist_item_name, is_complete, CAST(created_at AS TEXT), CAST(updated_at AS TEXT)`
	categoryCols   = `category_id, name, description, icon, type, order_in_list, CAST(created_at AS TEXT)`
	itemCols       = `item_id, category_id, parent_item_id, title, description, guidance_link, order_in_category, is_critical, CAST(created_at AS TEXT)`
	statusCols     = `status_id, restaurant_id, item_id, status, notes, CAST(last_updated_at AS TEXT)`
	campaignCols   = `campaign_id, restaurant_id, campaign_type, status, name, details, budget, external_id, CAST(created_at AS TEXT), CAST(updated_at AS TEXT)`
	sessionCols    = `session_id, user_id, impersonating_restaurant_id, CAST(created_at AS TEXT), CAST(expires_at AS TEXT)`
	eventCols      = `event_id, admin_user_id, admin_email, restaurant_id, session_id, action, CAST(at AS TEXT)`
)

// Queries shared by the read pool (prepared, or run through the snapshots) and write transactions.
const (
	qUserByID = `SELECT ` + userCols + ` FROM users WHERE user_id = ?`
	// qAccount is UserByID and RestaurantByUser in one round: the request path of almost every
	// endpoint needs both.
	qAccount = `SELECT u.user_id, u.email, u.password_hash, u.role, CAST(u.created_at AS TEXT),
		r.restaurant_id, r.user_id, r.name, r.address, r.phone, CAST(r.created_at AS TEXT)
		FROM users u LEFT JOIN restaurants r
		ON r.restaurant_id = (SELECT MIN(restaurant_id) FROM restaurants WHERE user_id = u.user_id)
		WHERE u.user_id = ?`
	// qAccountRoles is what the policy reads of the accounts of a run of ticks, in its write: each
	// one's role and own restaurant (chosen as qAccount chooses it). ? is a JSON array of user ids.
	qAccountRoles = `SELECT u.user_id, u.role, (SELECT MIN(restaurant_id) FROM restaurants WHERE user_id = u.user_id)
		FROM users u WHERE u.user_id IN (SELECT value FROM json_each(?))`
	// Exact spelling first, so a legacy file with case-variant duplicates still logs each one in.
	qUserByNormEmail = `SELECT ` + userCols + ` FROM users WHERE lower(trim(email)) = ?1
		ORDER BY email = ?2 DESC, user_id LIMIT 1`
	qUsersUnusualEmail = `SELECT ` + userCols + ` FROM users WHERE ` + unusualEmail + ` ORDER BY user_id`

	qRestaurantByID   = `SELECT ` + restaurantCols + ` FROM restaurants WHERE restaurant_id = ?`
	qRestaurantByUser = `SELECT ` + restaurantCols + ` FROM restaurants WHERE user_id = ? ORDER BY restaurant_id LIMIT 1`
	qCountRestaurants = `SELECT COUNT(*) FROM restaurants`
	qSearchAll        = `SELECT r.restaurant_id, r.user_id, r.name, r.address, r.phone, CAST(r.created_at AS TEXT),
		u.email, CAST(u.created_at AS TEXT)
		FROM restaurants r JOIN users u ON u.user_id = r.user_id
		ORDER BY r.created_at DESC, r.restaurant_id DESC`
	qSearchName = `SELECT r.restaurant_id, r.user_id, r.name, r.address, r.phone, CAST(r.created_at AS TEXT),
		u.email, CAST(u.created_at AS TEXT)
		FROM restaurants r JOIN users u ON u.user_id = r.user_id
		WHERE r.name LIKE ? ESCAPE '\'
		ORDER BY r.created_at DESC, r.restaurant_id DESC`

	qPendingTasks = `SELECT ` + taskCols + ` FROM checklist_status WHERE restaurant_id = ? AND is_complete = 0
		ORDER BY created_at, status_id LIMIT ?`
	qCountPending = `SELECT COUNT(DISTINCT restaurant_id) FROM checklist_status WHERE is_complete = 0`

	qCategories = `SELECT ` + categoryCols + ` FROM checklist_categories WHERE ?1 = '' OR type = ?1
		ORDER BY order_in_list, category_id`
	qCategoryByID = `SELECT ` + categoryCols + ` FROM checklist_categories WHERE category_id = ?`
	qItems        = `SELECT i.item_id, i.category_id, i.parent_item_id, i.title, i.description, i.guidance_link,
		i.order_in_category, i.is_critical, CAST(i.created_at AS TEXT)
		FROM checklist_items i JOIN checklist_categories c ON c.category_id = i.category_id
		WHERE ?1 = '' OR c.type = ?1
		ORDER BY c.order_in_list, c.category_id, i.order_in_category, i.item_id`
	qItemsByCategory = `SELECT ` + itemCols + ` FROM checklist_items WHERE category_id = ? ORDER BY order_in_category, item_id`
	qItemByID        = `SELECT ` + itemCols + ` FROM checklist_items WHERE item_id = ?`
	qCatalogueEmpty  = `SELECT NOT EXISTS (SELECT 1 FROM checklist_categories)`

	qStatuses = `SELECT s.status_id, s.restaurant_id, s.item_id, s.status, s.notes, CAST(s.last_updated_at AS TEXT),
		i.title, i.category_id, c.name, c.type
		FROM restaurant_checklist_status s
		JOIN checklist_items i ON i.item_id = s.item_id
		JOIN checklist_categories c ON c.category_id = i.category_id
		WHERE s.restaurant_id = ?
		ORDER BY s.item_id`
	// qSetTasks sets the tasks of a run of ticks, ? a JSON array of [status_id, restaurant_id,
	// is_complete (1/0), updated_at] with one element a task, and returns the tasks it set.
	qSetTasks = `UPDATE checklist_status SET is_complete = j.c, updated_at = j.t
		FROM (SELECT value ->> 0 AS s, value ->> 1 AS r, value ->> 2 AS c, value ->> 3 AS t FROM json_each(?)) AS j
		WHERE checklist_status.status_id = j.s AND checklist_status.restaurant_id = j.r
		RETURNING status_id, restaurant_id`
	qItemStatuses = `SELECT ` + statusCols + ` FROM restaurant_checklist_status WHERE restaurant_id = ? ORDER BY item_id`

	qCampaignByExternal = `SELECT ` + campaignCols + ` FROM campaigns WHERE restaurant_id = ? AND external_id = ?
		ORDER BY campaign_id DESC LIMIT 1`
	qCampaigns = `SELECT ` + campaignCols + ` FROM campaigns WHERE restaurant_id = ?
		ORDER BY created_at DESC, campaign_id DESC LIMIT ?`
	qCampaignsByStatus = `SELECT ` + campaignCols + ` FROM campaigns WHERE restaurant_id = ? AND status = ?
		ORDER BY created_at DESC, campaign_id DESC LIMIT ?`
	qCountCampaignsSince    = `SELECT COUNT(*) FROM campaigns WHERE restaurant_id = ? AND created_at >= ?`
	qCountAllCampaignsSince = `SELECT COUNT(*) FROM campaigns WHERE created_at >= ?`

	qSessionByID      = `SELECT ` + sessionCols + ` FROM sessions WHERE session_id = ? AND expires_at > ?`
	qImpersonationLog = `SELECT ` + eventCols + ` FROM impersonation_log ORDER BY at DESC, event_id DESC LIMIT ?`
)

// readStmts are the read pool's prepared statements (database/sql prepares each lazily once per
// connection and reuses it).
type readStmts struct {
	userByID, userByNormEmail, usersUnusualEmail               *sql.Stmt
	restaurantByID, restaurantByUser, countRestaurants         *sql.Stmt
	countPending                                               *sql.Stmt
	categories, categoryByID, items, itemsByCategory, itemByID *sql.Stmt
	catalogueEmpty, statuses                                   *sql.Stmt
	campaignByExternal, campaigns                              *sql.Stmt
	countCampaignsSince, countAllCampaignsSince                *sql.Stmt
	sessionByID, impersonationLog, searchAll, searchName       *sql.Stmt
	all                                                        []*sql.Stmt
}

func (q *readStmts) prepare(ctx context.Context, db *sql.DB) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&q.userByID, qUserByID},
		{&q.userByNormEmail, qUserByNormEmail},
		{&q.usersUnusualEmail, qUsersUnusualEmail},
		{&q.restaurantByID, qRestaurantByID},
		{&q.restaurantByUser, qRestaurantByUser},
		{&q.countRestaurants, qCountRestaurants},
		{&q.countPending, qCountPending},
		{&q.categories, qCategories},
		{&q.categoryByID, qCategoryByID},
		{&q.items, qItems},
		{&q.itemsByCategory, qItemsByCategory},
		{&q.itemByID, qItemByID},
		{&q.catalogueEmpty, qCatalogueEmpty},
		{&q.statuses, qStatuses},
		{&q.campaignByExternal, qCampaignByExternal},
		{&q.campaigns, qCampaigns},
		{&q.countCampaignsSince, qCountCampaignsSince},
		{&q.countAllCampaignsSince, qCountAllCampaignsSince},
		{&q.sessionByID, qSessionByID},
		{&q.impersonationLog, qImpersonationLog},
		{&q.searchAll, qSearchAll},
		{&q.searchName, qSearchName},
	} {
		st, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", firstLine(p.query), err)
		}
		*p.dst = st
		q.all = append(q.all, st)
	}
	return nil
}

func (q *readStmts) close() {
	for _, st := range q.all {
		st.Close()
	}
	q.all = nil
}

// rowScanner is what *sql.Row, *sql.Rows and a snapshot's row have in common.
type rowScanner = sqlitefile.Row
