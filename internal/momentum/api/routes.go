package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// routes is the whole Momentum API surface in one place. Each route names its error family: the
// auth and dashboard routes answer {"error": ...}, the checklist and campaign routes
// {"success": false, "error": ...} (contract §1.6).
func (a *API) routes(mux *http.ServeMux) {
	// Public.
	mux.HandleFunc("GET /api/health", a.health)
	mux.Handle("POST /api/auth/register", a.public(famAuth, a.register))
	mux.Handle("POST /api/auth/login", a.public(famAuth, a.login))
	mux.Handle("GET /api/sms-campaigns/sample-csv", a.public(famAPI, a.sampleCSV))

	// Authenticated; each route names its action in the policy table (internal/momentum/policy.go).
	mux.Handle("GET /api/auth/me", a.authed(famAuth, momentum.ActProfile, a.me))
	mux.Handle("POST /api/auth/impersonate/{restaurantId}", a.authed(famAuth, momentum.ActImpersonate, a.impersonate))
	mux.Handle("POST /api/auth/end-impersonation", a.authed(famAuth, momentum.ActImpersonate, a.endImpersonation))

	// Dashboard.
	mux.Handle("GET /api/dashboard/restaurant", a.authed(famAuth, momentum.ActRestaurant, a.restaurantDashboard))
	mux.Handle("GET /api/dashboard/admin", a.authed(famAuth, momentum.ActAdminDashboard, a.adminDashboard))
	mux.Handle("GET /api/dashboard/restaurants", a.authed(famAuth, momentum.ActAdminDashboard, a.restaurants))
	mux.Handle("GET /api/dashboard/campaigns", a.authed(famAuth, momentum.ActRestaurant, a.campaigns))
	mux.HandleFunc("PUT /api/dashboard/checklist/{itemId}", a.setTask)

	// Marketing checklist. A restaurant owner's :restaurantId (or ?restaurantId=) always means their own
	// restaurant, whatever it says; an admin's names any restaurant, "me" the impersonated one.
	mux.Handle("GET /api/checklist/categories", a.authed(famAPI, momentum.ActReadCatalogue, a.categories))
	mux.Handle("GET /api/checklist/items/{categoryId}", a.authed(famAPI, momentum.ActReadCatalogue, a.categoryItems))
	mux.Handle("GET /api/checklist/status/{restaurantId}", a.authed(famAPI, momentum.ActChecklist, a.statuses))
	mux.Handle("PUT /api/checklist/status/{restaurantId}/{itemId}", a.authed(famAPI, momentum.ActChecklist, a.setStatus))
	mux.Handle("GET /api/checklist/progress/{restaurantId}", a.authed(famAPI, momentum.ActChecklist, a.progress))
	mux.Handle("GET /api/checklist/categories-with-items", a.authed(famAPI, momentum.ActChecklist, a.categoriesWithItems))

	// Campaigns.
	mux.Handle("POST /api/facebook-ads/create-campaign", a.authed(famAPI, momentum.ActRestaurant, a.createAdCampaign))
	mux.Handle("GET /api/facebook-ads/campaign-status/{campaignId}", a.authed(famAPI, momentum.ActRestaurant, a.adCampaignStatus))
	mux.Handle("POST /api/facebook-ads/generate-preview", a.authed(famAPI, momentum.ActPreview, a.adPreview))
	mux.Handle("POST /api/sms-campaigns/create-campaign", a.authed(famAPI, momentum.ActRestaurant, a.createSMSCampaign))
	mux.Handle("POST /api/sms-campaigns/preview", a.authed(famAPI, momentum.ActPreview, a.smsPreview))
	mux.Handle("GET /api/sms-campaigns/campaign-status/{campaignId}", a.authed(famAPI, momentum.ActRestaurant, a.smsCampaignStatus))
}
