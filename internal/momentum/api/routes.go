package api

import "net/http"

// routes is the whole Momentum API surface in one place. Each route names its error family: the
// auth and dashboard routes answer {"error": ...}, the checklist and campaign routes
// {"success": false, "error": ...} (contract §1.6).
func (a *API) routes(mux *http.ServeMux) {
	// Public.
	mux.HandleFunc("GET /api/health", a.health)
	mux.Handle("POST /api/auth/register", a.public(famAuth, a.register))
	mux.Handle("POST /api/auth/login", a.public(famAuth, a.login))
	mux.Handle("GET /api/sms-campaigns/sample-csv", a.public(famAPI, a.sampleCSV))

	// Any valid token.
	mux.Handle("GET /api/auth/me", a.authed(famAuth, a.me))
	mux.Handle("POST /api/auth/impersonate/{restaurantId}", a.authed(famAuth, a.impersonate))
	mux.Handle("POST /api/auth/end-impersonation", a.authed(famAuth, a.endImpersonation))

	// Dashboard (restaurant context, or admin).
	mux.Handle("GET /api/dashboard/restaurant", a.authed(famAuth, a.restaurantDashboard))
	mux.Handle("GET /api/dashboard/admin", a.authed(famAuth, a.adminDashboard))
	mux.Handle("GET /api/dashboard/restaurants", a.authed(famAuth, a.restaurants))
	mux.Handle("GET /api/dashboard/campaigns", a.authed(famAuth, a.campaigns))
	mux.Handle("PUT /api/dashboard/checklist/{itemId}", a.authed(famAuth, a.setTask))

	// Marketing checklist (token required; :restaurantId is the caller's, "me", or any for admins).
	mux.Handle("GET /api/checklist/categories", a.authed(famAPI, a.categories))
	mux.Handle("GET /api/checklist/items/{categoryId}", a.authed(famAPI, a.categoryItems))
	mux.Handle("GET /api/checklist/status/{restaurantId}", a.authed(famAPI, a.statuses))
	mux.Handle("PUT /api/checklist/status/{restaurantId}/{itemId}", a.authed(famAPI, a.setStatus))
	mux.Handle("GET /api/checklist/progress/{restaurantId}", a.authed(famAPI, a.progress))
	mux.Handle("GET /api/checklist/categories-with-items", a.authed(famAPI, a.categoriesWithItems))

	// Campaigns.
	mux.Handle("POST /api/facebook-ads/create-campaign", a.authed(famAPI, a.createAdCampaign))
	mux.Handle("GET /api/facebook-ads/campaign-status/{campaignId}", a.authed(famAPI, a.adCampaignStatus))
	mux.Handle("POST /api/facebook-ads/generate-preview", a.authed(famAPI, a.adPreview))
	mux.Handle("POST /api/sms-campaigns/create-campaign", a.authed(famAPI, a.createSMSCampaign))
	mux.Handle("POST /api/sms-campaigns/preview", a.authed(famAPI, a.smsPreview))
	mux.Handle("GET /api/sms-campaigns/campaign-status/{campaignId}", a.authed(famAPI, a.smsCampaignStatus))
}
