package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// The checklist page reads the whole catalogue (12 categories, 61 items) on every load. Its static part
// only changes with a new catalogue snapshot, so it is encoded once per snapshot version and each
// response splices the restaurant's three status fields into the pre-encoded items. The output is
// byte-for-byte what encoding the views would give (TestCatalogueRenderingMatchesViews).

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
		b, _ := json.Marshal(viewCategory(cw.Category))
		rc.cat[cw.Category] = append(b[:len(b)-1], `,"items":[`...)
		for _, it := range cw.Items {
			ib, _ := json.Marshal(viewItem(it.Item))
			rc.item[it.Item] = ib[:len(ib)-1]
		}
	}
	cr.cur.Store(rc)
	return rc
}

var catBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (a *API) writeCatalogue(w http.ResponseWriter, c momentum.CatalogueWithStatuses) {
	rc := a.catalogue.get(c)
	b := catBufPool.Get().(*bytes.Buffer)
	b.Reset()
	defer catBufPool.Put(b)
	b.WriteString(`{"success":true,"categories":[`)
	for i, cw := range c.Categories {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(rc.cat[cw.Category])
		for j, it := range cw.Items {
			if j > 0 {
				b.WriteByte(',')
			}
			b.Write(rc.item[it.Item])
			b.WriteString(`,"status":`)
			writeNullableString(b, it.Status)
			b.WriteString(`,"notes":`)
			writeNullableString(b, it.Notes)
			b.WriteString(`,"status_updated_at":`)
			if it.StatusUpdatedAt == nil {
				b.WriteString("null")
			} else {
				b.WriteByte('"')
				b.WriteString(momentum.FormatTime(*it.StatusUpdatedAt))
				b.WriteByte('"')
			}
			b.WriteByte('}')
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

func writeNullableString(b *bytes.Buffer, s *string) {
	if s == nil {
		b.WriteString("null")
		return
	}
	enc, _ := json.Marshal(*s) // notes are free text: let encoding/json escape them
	b.Write(enc)
}
