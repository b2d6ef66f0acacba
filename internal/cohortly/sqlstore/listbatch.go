package sqlstore

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/coalesce"
)

// The frontends' list pages (leads, bootcamps) are read by many requests at once, most of them for
// the same page, and on PostgreSQL most of a page's cost, on both sides, is the statement around its
// few rows. So concurrent page reads are coalesced, as the callers' rows are: while listBatchFlushers
// statements of a kind are running, arriving reads wait, and when one ends the next run takes all of
// them, led by the first. The requests of a run that ask for the same page (the same statements with
// the same arguments) share one read of it; each still gets its own viewer's row. A read arriving with
// none running is sent at once, alone, as it always was: coalescing adds no wait. Every answer comes
// from statements that began after its request asked, so it is as fresh as a read of its own.
const (
	listBatchMax      = 64
	listBatchFlushers = 2
	// listBatchTimeout bounds a run read for several requests, which no single request's
	// cancellation may abort.
	listBatchTimeout = 10 * time.Second
)

// listReq is one request's page read. b is listBatch(viewerID) with the page and its count queued.
type listReq[T any] struct {
	key      string
	viewerID string
	b        *Batch
	p        cohortly.Page
	res      cohortly.Listed[T]
	err      error
}

// pageReader reads the pages of one kind of list, coalescing concurrent reads.
type pageReader[T any] struct {
	s    *Store
	what string
	// one reads a page for a single viewer as an uncoalesced request does.
	one func(ctx context.Context, viewerID string, b *Batch, p cohortly.Page) (cohortly.Listed[T], error)
	// scan returns a row scanner for one run (scanners keep per-page scratch).
	scan func() func(r Row, v *T) error
	c    *coalesce.Coalescer[*listReq[T]]
}

// newPageReader coalesces only where a read is a round trip (Dialect.CoalesceReads).
func newPageReader[T any](s *Store, what string, one func(context.Context, string, *Batch, cohortly.Page) (cohortly.Listed[T], error), scan func() func(Row, *T) error) *pageReader[T] {
	r := &pageReader[T]{s: s, what: what, one: one, scan: scan}
	if s.d.CoalesceReads {
		r.c = coalesce.New(listBatchMax, listBatchFlushers, r.run)
	}
	return r
}

// read returns the page of b for viewerID. The Items of the answer may be shared with concurrent
// requests for the same page: callers must not modify them.
func (r *pageReader[T]) read(ctx context.Context, viewerID string, b *Batch, p cohortly.Page) (cohortly.Listed[T], error) {
	if r.c == nil || viewerID == "" {
		return r.one(ctx, viewerID, b, p)
	}
	req := &listReq[T]{key: pageKey(b), viewerID: viewerID, b: b, p: p}
	r.c.Do(ctx, req)
	return req.res, req.err
}

// pageKey identifies the page of b (its statements after the viewer's read, and their arguments):
// equal keys read equal pages.
func pageKey(b *Batch) string {
	k := make([]byte, 0, 512)
	for _, q := range b.Queued()[1:] {
		k = append(k, q.SQL...)
		for _, a := range q.Args {
			k = append(k, 0)
			switch v := a.(type) {
			case string:
				k = append(append(k, 's'), v...)
			case bool:
				k = strconv.AppendBool(append(k, 'b'), v)
			case int:
				k = strconv.AppendInt(append(k, 'i'), int64(v), 10)
			case int64:
				k = strconv.AppendInt(append(k, 'i'), v, 10)
			default:
				// Unknown argument types never share a page.
				return ""
			}
		}
		k = append(k, 1)
	}
	return string(k)
}

// run answers every request of batch: the requests for one page share its read; pages differing
// within a run are read concurrently.
func (r *pageReader[T]) run(ctx context.Context, batch []*listReq[T]) {
	ctx, cancel := context.WithTimeout(ctx, listBatchTimeout)
	defer cancel()
	var groups [][]*listReq[T]
	at := map[string]int{}
	for _, q := range batch {
		i, ok := at[q.key]
		if !ok || q.key == "" {
			i = len(groups)
			at[q.key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], q)
	}
	if len(groups) == 1 {
		r.page(ctx, groups[0])
		return
	}
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Go(func() { r.page(ctx, g) })
	}
	wg.Wait()
}

// page reads one page for the requests of g (equal keys): alone as an uncoalesced request reads it
// when they have one viewer, else with all their viewers' rows in the same round trip.
func (r *pageReader[T]) page(ctx context.Context, g []*listReq[T]) {
	viewers := make([]string, 0, len(g))
	seen := map[string]bool{}
	for _, q := range g {
		if !seen[q.viewerID] {
			seen[q.viewerID] = true
			viewers = append(viewers, q.viewerID)
		}
	}
	if len(viewers) == 1 {
		res, err := r.one(ctx, viewers[0], g[0].b, g[0].p)
		for _, q := range g {
			q.res, q.err = res, err
		}
		return
	}
	found, items, total, err := r.viewersPage(ctx, viewers, g[0].b, g[0].p)
	for _, q := range g {
		if err != nil {
			q.err = err
			continue
		}
		u, ok := found[q.viewerID]
		if !ok {
			q.err = r.s.fail("list "+r.what+": viewer "+q.viewerID, cohortly.ErrNotFound)
			continue
		}
		q.res = cohortly.Listed[T]{Items: items, Total: total, Viewer: u}
	}
}

// viewersPage sends the viewers' rows, the page and its count as one batch.
func (r *pageReader[T]) viewersPage(ctx context.Context, viewers []string, b *Batch, p cohortly.Page) (map[string]cohortly.User, []T, int, error) {
	s := r.s
	cond, args := s.d.AnyOf("u.id", 1, viewers)
	var mb Batch
	mb.Queue(usersWhere+cond, args...)
	for _, q := range b.Queued()[1:] {
		mb.Queue(q.SQL, q.Args...)
	}
	br := s.db.SendBatch(ctx, &mb)
	defer br.Close()
	rows, err := br.Query()
	var found map[string]cohortly.User
	if err == nil {
		found, err = collectUsers(rows)
	}
	if err != nil {
		return nil, nil, 0, s.mapErr(err, "list "+r.what+": viewers", nil)
	}
	l, err := listRest(s, r.what, br, p, r.scan())
	return found, l.Items, l.Total, err
}
