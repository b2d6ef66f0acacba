package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

type restaurantDashboardView struct {
	Restaurant          *restaurantView `json:"restaurant"`
	PerformanceSnapshot struct {
		NewCustomersAcquired int    `json:"newCustomersAcquired"`
		CustomersReengaged   int    `json:"customersReengaged"`
		Period               string `json:"period"`
	} `json:"performanceSnapshot"`
	ActiveCampaigns []campaignView `json:"activeCampaigns"`
	PendingTasks    []taskView     `json:"pendingTasks"`
	CampaignStats   struct {
		RecentCampaigns int64 `json:"recentCampaigns"`
	} `json:"campaignStats"`
}

func (a *API) restaurantDashboard(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	d, err := a.svc.RestaurantDashboard(r.Context(), p)
	if err != nil {
		return err
	}
	var v restaurantDashboardView
	v.Restaurant = viewRestaurant(&d.Restaurant)
	v.PerformanceSnapshot.NewCustomersAcquired = d.NewCustomersAcquired
	v.PerformanceSnapshot.CustomersReengaged = d.CustomersReengaged
	v.PerformanceSnapshot.Period = "Last 7 Days"
	v.ActiveCampaigns = viewCampaigns(d.ActiveCampaigns)
	v.PendingTasks = make([]taskView, len(d.PendingTasks))
	for i, t := range d.PendingTasks {
		v.PendingTasks[i] = taskView{StatusID: t.ID, RestaurantID: t.RestaurantID, ChecklistItemName: t.Name, IsComplete: t.IsComplete, CreatedAt: ts(t.CreatedAt), UpdatedAt: ts(t.UpdatedAt)}
	}
	v.CampaignStats.RecentCampaigns = d.RecentCampaigns
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *API) adminDashboard(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	d, err := a.svc.AdminDashboard(r.Context(), p)
	if err != nil {
		return err
	}
	type platformStats struct {
		TotalRestaurants int64  `json:"totalRestaurants"`
		RecentCampaigns  int64  `json:"recentCampaigns"`
		Period           string `json:"period"`
	}
	type needsAttention struct {
		IncompleteSetups int64 `json:"incompleteSetups"`
	}
	writeJSON(w, http.StatusOK, struct {
		PlatformStats  platformStats  `json:"platformStats"`
		NeedsAttention needsAttention `json:"needsAttention"`
	}{platformStats{d.TotalRestaurants, d.RecentCampaigns, "Last 7 Days"}, needsAttention{d.IncompleteSetups}})
	return nil
}

func (a *API) restaurants(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	search, err := query(r, "search")
	if err != nil {
		return err
	}
	list, err := a.svc.Restaurants(r.Context(), p, search)
	if err != nil {
		return err
	}
	type row struct {
		restaurantView
		Email      string `json:"email"`
		SignupDate string `json:"signup_date"`
	}
	out := make([]row, len(list))
	for i := range list {
		out[i] = row{*viewRestaurant(&list[i].Restaurant), list[i].OwnerEmail, ts(list[i].OwnerCreatedAt)}
	}
	writeJSON(w, http.StatusOK, struct {
		Restaurants []row `json:"restaurants"`
	}{out})
	return nil
}

func (a *API) campaigns(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	list, err := a.svc.Campaigns(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Campaigns []campaignView `json:"campaigns"`
	}{viewCampaigns(list)})
	return nil
}

// setTask is an authenticated route that authenticates in the service, within the write
// (SetTaskCompleteWithToken). A request the route refuses before writing is authenticated first, as
// authed does, so that its answer is the same.
func (a *API) setTask(w http.ResponseWriter, r *http.Request) {
	id, done, err := taskInput(w, r)
	if err != nil {
		if _, aerr := a.authorize(r, momentum.ActRestaurant); aerr != nil {
			err = aerr
		}
	} else {
		err = a.svc.SetTaskCompleteWithToken(r.Context(), bearer(r), id, done)
	}
	if err != nil {
		a.fail(w, r, famAuth, err)
		return
	}
	httpx.WriteAppended(w, http.StatusOK, appendConst, taskUpdated)
}

func taskInput(w http.ResponseWriter, r *http.Request) (id int64, done bool, err error) {
	if id, err = pathID(r, "itemId", "Checklist item id"); err != nil {
		return 0, false, err
	}
	f, err := readSmallBody(w, r)
	if err != nil {
		return 0, false, err
	}
	done, present, err := f.boolean("is_complete")
	if err != nil {
		return 0, false, err
	}
	if !present {
		return 0, false, bad("is_complete is required (true or false)")
	}
	return id, done, nil
}

// taskUpdated is the dashboard tick's answer, the most repeated write's: encoded once.
const taskUpdated = `{"message":"Checklist item updated successfully"}`

func appendConst(b []byte, s string) []byte { return append(b, s...) }
