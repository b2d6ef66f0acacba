package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

func (a *API) categories(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	typ, err := query(r, "type")
	if err != nil {
		return err
	}
	cats, err := a.svc.Categories(r.Context(), typ)
	if err != nil {
		return err
	}
	out := make([]categoryView, len(cats))
	for i := range cats {
		out[i] = viewCategory(&cats[i])
	}
	writeJSON(w, http.StatusOK, struct {
		Success    bool           `json:"success"`
		Categories []categoryView `json:"categories"`
	}{true, out})
	return nil
}

func (a *API) categoryItems(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	id, err := pathID(r, "categoryId", "Category id")
	if err != nil {
		return err
	}
	items, err := a.svc.CategoryItems(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]itemView, len(items))
	for i := range items {
		out[i] = viewItem(&items[i])
	}
	writeJSON(w, http.StatusOK, struct {
		Success bool       `json:"success"`
		Items   []itemView `json:"items"`
	}{true, out})
	return nil
}

func (a *API) statuses(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	ref, err := restaurantRef(r.PathValue("restaurantId"))
	if err != nil {
		return err
	}
	list, err := a.svc.Statuses(r.Context(), p, ref)
	if err != nil {
		return err
	}
	out := make([]statusView, len(list))
	for i, s := range list {
		out[i] = statusView{StatusID: s.ID, RestaurantID: s.RestaurantID, ItemID: s.ItemID, Status: s.Status, Notes: s.Notes,
			LastUpdatedAt: ts(s.LastUpdatedAt), Title: s.Title, CategoryID: s.CategoryID, CategoryName: s.CategoryName, CategoryType: s.CategoryType}
	}
	writeJSON(w, http.StatusOK, struct {
		Success  bool         `json:"success"`
		Statuses []statusView `json:"statuses"`
	}{true, out})
	return nil
}

func (a *API) setStatus(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	ref, err := restaurantRef(r.PathValue("restaurantId"))
	if err != nil {
		return err
	}
	itemID, err := pathID(r, "itemId", "Item id")
	if err != nil {
		return err
	}
	f, err := readSmallBody(w, r)
	if err != nil {
		return err
	}
	status, err := f.str("status")
	if err != nil {
		return bad("Invalid status value")
	}
	notes, err := f.optional("notes")
	if err != nil {
		return err
	}
	st, err := a.svc.SetStatus(r.Context(), p, ref, itemID, status, notes.Value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Success  bool   `json:"success"`
		Message  string `json:"message"`
		StatusID int64  `json:"statusId"`
	}{true, "Status updated successfully", st.ID})
	return nil
}

func (a *API) progress(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	ref, err := restaurantRef(r.PathValue("restaurantId"))
	if err != nil {
		return err
	}
	typ, err := query(r, "type")
	if err != nil {
		return err
	}
	prog, err := a.svc.Progress(r.Context(), p, ref, typ)
	if err != nil {
		return err
	}
	out := make(map[string]progressView, len(prog))
	for k, tp := range prog {
		out[k] = progressView{tp.TotalItems, tp.CompletedItems, tp.CompletionPercentage, tp.CriticalItems, tp.CompletedCriticalItems, tp.CriticalCompletionPercent}
	}
	writeJSON(w, http.StatusOK, struct {
		Success  bool                    `json:"success"`
		Progress map[string]progressView `json:"progress"`
	}{true, out})
	return nil
}

func (a *API) categoriesWithItems(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	typ, err := query(r, "type")
	if err != nil {
		return err
	}
	rid, err := query(r, "restaurantId")
	if err != nil {
		return err
	}
	var ref *momentum.RestaurantRef
	if rid != "" {
		rr, err := restaurantRef(rid)
		if err != nil {
			return err
		}
		ref = &rr
	}
	cat, err := a.svc.CategoriesWithItems(r.Context(), p, typ, ref)
	if err != nil {
		return err
	}
	a.writeCatalogue(w, cat)
	return nil
}
