package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// The views the hand-written renderer must match: what encoding/json makes of the checklist page.
type itemWithStatusView struct {
	itemView
	Status          *string `json:"status"`
	Notes           *string `json:"notes"`
	StatusUpdatedAt *string `json:"status_updated_at"`
}

type categoryWithItemsView struct {
	categoryView
	Items []itemWithStatusView `json:"items"`
}

type catalogueView struct {
	Success    bool                    `json:"success"`
	Categories []categoryWithItemsView `json:"categories"`
}

func viewCatalogue(c momentum.CatalogueWithStatuses) catalogueView {
	v := catalogueView{Success: true, Categories: []categoryWithItemsView{}}
	for _, cw := range c.Categories {
		cv := categoryWithItemsView{categoryView: viewCategory(cw.Category), Items: []itemWithStatusView{}}
		for _, it := range cw.Items {
			cv.Items = append(cv.Items, itemWithStatusView{itemView: viewItem(it.Item), Status: it.Status, Notes: it.Notes, StatusUpdatedAt: tsPtr(it.StatusUpdatedAt)})
		}
		v.Categories = append(v.Categories, cv)
	}
	return v
}

// seedCatalogue is the real catalogue (12 categories, 61 items) as the service holds it, with ids.
func seedCatalogue(version uint64) momentum.CatalogueWithStatuses {
	created := time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC)
	c := momentum.CatalogueWithStatuses{Version: version}
	itemID := int64(400)
	for i, sc := range momentum.Catalogue() {
		desc, icon := sc.Description, sc.Icon
		cat := &momentum.Category{ID: int64(73 + i), Name: sc.Name, Description: &desc, Icon: &icon, Type: sc.Type, OrderInList: sc.OrderInList, CreatedAt: created}
		cw := momentum.CategoryWithItems{Category: cat}
		for _, si := range sc.Items {
			itemID++
			d := si.Description
			cw.Items = append(cw.Items, momentum.ItemWithStatus{Item: &momentum.Item{ID: itemID, CategoryID: cat.ID, Title: si.Title, Description: &d,
				GuidanceLink: si.GuidanceLink, OrderInCategory: si.OrderInCategory, IsCritical: si.IsCritical, CreatedAt: created}})
		}
		c.Categories = append(c.Categories, cw)
	}
	return c
}

// withStatuses copies c with every third item given the status, notes and time, and every fifth one
// a status without notes; the others have none.
func withStatuses(c momentum.CatalogueWithStatuses, status, notes string, at time.Time) momentum.CatalogueWithStatuses {
	out := momentum.CatalogueWithStatuses{Version: c.Version}
	n := 0
	for _, cw := range c.Categories {
		cc := momentum.CategoryWithItems{Category: cw.Category}
		for _, it := range cw.Items {
			n++
			switch {
			case n%3 == 0:
				it.Status, it.Notes, it.StatusUpdatedAt = &status, &notes, &at
			case n%5 == 0:
				it.Status, it.StatusUpdatedAt = &status, &at
			}
			cc.Items = append(cc.Items, it)
		}
		out.Categories = append(out.Categories, cc)
	}
	return out
}

func render(a *API, c momentum.CatalogueWithStatuses) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	a.writeCatalogue(rec, c)
	return rec
}

func viaViews(c momentum.CatalogueWithStatuses) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	httpx.WriteJSON(rec, http.StatusOK, viewCatalogue(c))
	return rec
}

func sameResponse(t *testing.T, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
		g, w := got.Body.Bytes(), want.Body.Bytes()
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("bodies differ at byte %d:\n got  …%s\n want …%s", i, g[max(0, i-60):min(len(g), i+60)], w[max(0, i-60):min(len(w), i+60)])
	}
	for _, h := range []string{"Content-Type", "Content-Length"} {
		if got.Header().Get(h) != want.Header().Get(h) {
			t.Fatalf("%s %q, want %q", h, got.Header().Get(h), want.Header().Get(h))
		}
	}
	if got.Code != want.Code {
		t.Fatalf("status %d, want %d", got.Code, want.Code)
	}
}

// TestCatalogueRenderingMatchesViews compares the pre-encoded checklist page with httpx.WriteJSON of
// the views, byte for byte: the whole catalogue with and without statuses, a type filter (a subset of
// the categories, rendered after the full one from the same snapshot), and a new snapshot version.
func TestCatalogueRenderingMatchesViews(t *testing.T) {
	a := &API{}
	full := seedCatalogue(1)
	at := time.Date(2025, 6, 26, 1, 47, 53, 0, time.UTC)
	sameResponse(t, render(a, full), viaViews(full))
	st := withStatuses(full, "completed", `quote " and <tag> & \ and `+"\u2028 é \x01 \xff", at)
	sameResponse(t, render(a, st), viaViews(st))
	var ongoing momentum.CatalogueWithStatuses
	ongoing.Version = 1
	for _, cw := range st.Categories {
		if cw.Type == "ongoing" {
			ongoing.Categories = append(ongoing.Categories, cw)
		}
	}
	sameResponse(t, render(a, ongoing), viaViews(ongoing))
	empty := momentum.CatalogueWithStatuses{Version: 1}
	sameResponse(t, render(a, empty), viaViews(empty))
	next := seedCatalogue(2)
	next.Categories[0].Category.Name = "Renamed <&>"
	sameResponse(t, render(a, next), viaViews(next))
}

// FuzzCatalogueRendering: any status, notes, title and time render as encoding/json would.
func FuzzCatalogueRendering(f *testing.F) {
	for _, s := range [][3]string{
		{"completed", "done!", "Set up your profile"},
		{"in_progress", `quote " backslash \ <tag> & \u2028`, "Title with \t tab"},
		{"not_applicable", "\x00\x1f\x7f", "\xff\xfe invalid"},
		{"", "", ""},
		{"pending", "emoji 🍔 and \u2029", "</script>"},
	} {
		f.Add(s[0], s[1], s[2], int64(1750902473))
	}
	var version uint64
	f.Fuzz(func(t *testing.T, status, notes, title string, unix int64) {
		at := time.Unix(unix%(1<<34), 0) // years 1970 to 2514: the layout's four-digit years
		version++                        // a fresh snapshot, so the fuzzed title is encoded again
		c := seedCatalogue(version)
		c.Categories[1].Items[0].Item.Title = title
		c.Categories[2].Category.Name = title
		if d := c.Categories[3].Category.Description; d != nil && utf8.ValidString(title) {
			*d = title + *d
		}
		c = withStatuses(c, status, notes, at)
		a := &API{}
		sameResponse(t, render(a, c), viaViews(c))
	})
}

// The hand-written page against encoding/json of the views, for the full catalogue with statuses:
// the gain that justifies keeping the renderer.
func BenchmarkCatalogueRendering(b *testing.B) {
	c := withStatuses(seedCatalogue(1), "completed", "notes", time.Date(2025, 6, 26, 1, 47, 53, 0, time.UTC))
	for _, bm := range []struct {
		name string
		fn   func(w http.ResponseWriter)
	}{
		{"renderer", func(w http.ResponseWriter) { (&API{}).writeCatalogue(w, c) }},
		{"encoding-json-views", func(w http.ResponseWriter) { httpx.WriteJSON(w, http.StatusOK, viewCatalogue(c)) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			a := &API{}
			a.writeCatalogue(httptest.NewRecorder(), c) // the snapshot is encoded once, not per request
			if bm.name == "renderer" {
				bm.fn = func(w http.ResponseWriter) { a.writeCatalogue(w, c) }
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bm.fn(w)
			}
			b.SetBytes(int64(w.n))
		})
	}
}

type discardWriter struct {
	h http.Header
	n int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(p []byte) (int, error) { d.n = len(p); return len(p), nil }
