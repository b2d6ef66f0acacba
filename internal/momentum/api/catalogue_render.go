package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/jsontext"
)

// The checklist page reads the whole catalogue (12 categories, 61 items) on every load. Its static part
// only changes with a new catalogue snapshot, so it is encoded once per snapshot version and each
// response splices the restaurant's three status fields into the pre-encoded items. The output is
// byte for byte what httpx.WriteJSON of the views gives (TestCatalogueRenderingMatchesViews and
// FuzzCatalogueRendering); BenchmarkCatalogueRendering measures what that saves.

type renderedCatalogue struct {
	version uint64
	cat     map[*momentum.Category][]byte // `{"category_id":…,"created_at":"…","items":[`
	item    map[*momentum.Item][]byte     // `{"item_id":…,"created_at":"…"`
}

type catalogueRenderer struct {
	cur atomic.Pointer[renderedCatalogue]
	mu  sync.Mutex
}

func (rc *renderedCatalogue) covers(c momentum.CatalogueWithStatuses) bool {
	if rc == nil || rc.version != c.Version {
		return false
	}
	for _, cw := range c.Categories {
		if _, ok := rc.cat[cw.Category]; !ok {
			return false
		}
	}
	return true
}

// get returns the encoded pieces for c's snapshot. Snapshots are copied on write, so readers never see
// a map being filled; a request filtered by type adds the categories it needs.
func (cr *catalogueRenderer) get(c momentum.CatalogueWithStatuses) *renderedCatalogue {
	if rc := cr.cur.Load(); rc.covers(c) {
		return rc
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	old := cr.cur.Load()
	if old.covers(c) {
		return old
	}
	rc := &renderedCatalogue{version: c.Version, cat: map[*momentum.Category][]byte{}, item: map[*momentum.Item][]byte{}}
	if old != nil && old.version == c.Version {
		for k, v := range old.cat {
			rc.cat[k] = v
		}
		for k, v := range old.item {
			rc.item[k] = v
		}
	}
	for _, cw := range c.Categories {
		if _, ok := rc.cat[cw.Category]; ok {
			continue
		}
		b := marshal(viewCategory(cw.Category))
		rc.cat[cw.Category] = append(b[:len(b)-1:len(b)-1], `,"items":[`...)
		for _, it := range cw.Items {
			ib := marshal(viewItem(it.Item))
			rc.item[it.Item] = ib[:len(ib)-1]
		}
	}
	cr.cur.Store(rc)
	return rc
}

// writeCatalogue writes exactly what httpx.WriteJSON of the views would (TestCatalogueRendering*):
// the pre-encoded category and item heads, and per item the three status fields of this restaurant.
func (a *API) writeCatalogue(w http.ResponseWriter, c momentum.CatalogueWithStatuses) {
	httpx.WriteAppended(w, http.StatusOK, a.appendCatalogue, c)
}

func (a *API) appendCatalogue(b []byte, c momentum.CatalogueWithStatuses) []byte {
	rc := a.catalogue.get(c)
	b = append(b, `{"success":true,"categories":[`...)
	for i, cw := range c.Categories {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, rc.cat[cw.Category]...)
		for j, it := range cw.Items {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, rc.item[it.Item]...)
			b = append(b, `,"status":`...)
			b = appendNullable(b, it.Status)
			b = append(b, `,"notes":`...)
			b = appendNullable(b, it.Notes)
			b = append(b, `,"status_updated_at":`...)
			if it.StatusUpdatedAt == nil {
				b = append(b, "null"...)
			} else {
				// The layout is digits and separators only: nothing to escape.
				b = append(b, '"')
				b = momentum.AppendTime(b, *it.StatusUpdatedAt)
				b = append(b, '"')
			}
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...)
}

func appendNullable(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return jsontext.AppendString(b, *s)
}

// marshal encodes v as httpx.WriteJSON does (no HTML escaping), without the trailing newline.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the views hold only strings and numbers
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
