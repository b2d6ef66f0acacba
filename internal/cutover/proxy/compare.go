package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"sort"
	"strings"
	"sync"

	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
	"github.com/momentum-cohortly/backends/internal/cutover/jsondiff"
	"github.com/momentum-cohortly/backends/internal/cutover/redact"
	"github.com/momentum-cohortly/backends/internal/cutover/route"
)

// maxValueBytes bounds one recorded diff value; a larger one is recorded as its size and start.
const maxValueBytes = 1024

// maxRecordedBody bounds the request body kept in a diff record (JSON only).
const maxRecordedBody = 4096

// rawDiffs compares two answers: status, media type, then the bodies, structurally when both are
// JSON, byte for byte otherwise.
func rawDiffs(a, b *answer, limit int64) []jsondiff.Diff {
	var out []jsondiff.Diff
	if a.status != b.status {
		out = append(out, jsondiff.Diff{Path: jsondiff.PathStatus, A: a.status, B: b.status, HasA: true, HasB: true})
	}
	ta, tb := mediaType(a.header.Get("Content-Type")), mediaType(b.header.Get("Content-Type"))
	if ta != tb {
		out = append(out, jsondiff.Diff{Path: jsondiff.PathContentType, A: a.header.Get("Content-Type"), B: b.header.Get("Content-Type"), HasA: true, HasB: true})
	}
	ba, okA := a.decoded(limit)
	bb, okB := b.decoded(limit)
	if !okA || !okB {
		ba, bb = a.body, b.body
	}
	if isJSON(ta) && isJSON(tb) && len(ba) > 0 && len(bb) > 0 {
		if d, err := jsondiff.Compare(ba, bb); err == nil {
			return append(out, d...)
		}
	}
	if !bytes.Equal(ba, bb) {
		out = append(out, jsondiff.Diff{Path: jsondiff.PathBody, A: bodySummary(ba), B: bodySummary(bb), HasA: true, HasB: true})
	}
	return out
}

// mediaType normalizes a Content-Type for comparison: the media type and its charset, lower case
// (`application/json; charset=utf-8` and `application/json;charset=UTF-8` are the same).
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(ct))
	}
	cs := strings.ToLower(params["charset"])
	if cs == "utf-8" && isJSON(mt) {
		cs = "" // JSON is UTF-8 (RFC 8259): the parameter changes nothing
	}
	if cs != "" {
		return mt + "; charset=" + cs
	}
	return mt
}

func isJSON(mt string) bool {
	mt, _, _ = strings.Cut(mt, ";")
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func bodySummary(b []byte) string {
	s := string(b)
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Sprintf("%d bytes: %s", len(b), s)
}

// compare turns two (or three) answers into counters, metrics and, when something is left after
// the noise, a diff record.
func (rt *Router) compare(j *job, copyAns, again *answer) {
	cfg := j.t.cfg
	name := j.rule.Name
	limit := cfg.Shadow.MaxBody
	raw := rawDiffs(j.first, copyAns, limit)
	if again != nil && again.status == j.first.status {
		for _, d := range rawDiffs(j.first, again, limit) {
			if strings.HasPrefix(d.Path, "$") {
				rt.noise.add(name, jsondiff.Generalize(d.Path))
			}
		}
	}
	legacyAns, newAns := j.first, copyAns
	if j.primary == route.New {
		legacyAns, newAns = copyAns, j.first
	}
	var diffs []difflog.Diff
	var supp []difflog.Suppressed
	var paths, suppressed []string
	for _, d := range raw {
		g := jsondiff.Generalize(d.Path)
		if reason, ok := cfg.Ignored(name, d.Path, newAns.status); ok {
			supp = append(supp, difflog.Suppressed{Path: d.Path, Reason: "ignored: " + reason})
			suppressed = append(suppressed, g)
			continue
		}
		if reason, ok := cfg.Ignored(name, g, newAns.status); ok {
			supp = append(supp, difflog.Suppressed{Path: d.Path, Reason: "ignored: " + reason})
			suppressed = append(suppressed, g)
			continue
		}
		if rt.noise.has(name, g) {
			supp = append(supp, difflog.Suppressed{Path: d.Path, Reason: "learned noise: differs between two answers of the " + string(j.primary) + " side"})
			suppressed = append(suppressed, g)
			continue
		}
		a, b := d.A, d.B
		hasA, hasB := d.HasA, d.HasB
		if j.primary == route.New {
			a, b, hasA, hasB = b, a, hasB, hasA
		}
		keys := jsondiff.Keys(d.Path)
		expl := cfg.Explanation(name, d.Path, newAns.status)
		if expl == "" {
			expl = cfg.Explanation(name, g, newAns.status)
		}
		diffs = append(diffs, difflog.Diff{
			Path: d.Path, General: g, Explained: expl,
			Legacy: value(cfg.Redactor, keys, a, hasA), New: value(cfg.Redactor, keys, b, hasB),
		})
		paths = append(paths, g)
	}
	difflog.FollowStatus(diffs)
	rt.stats.route(name).compared(paths, suppressed)
	rt.metrics.shadow.WithLabelValues(name, "compared").Inc()
	if len(suppressed) > 0 {
		rt.metrics.suppressed.WithLabelValues(name).Add(float64(len(suppressed)))
	}
	if len(diffs) == 0 {
		rt.metrics.shadow.WithLabelValues(name, "match").Inc()
		return
	}
	rt.metrics.shadow.WithLabelValues(name, "diff").Inc()
	seen := map[string]bool{}
	for _, g := range paths {
		if !seen[g] {
			seen[g] = true
			rt.metrics.diffs.WithLabelValues(name, rt.metrics.pathLabel(name, g)).Inc()
		}
	}
	if rt.difflog == nil {
		return
	}
	red := cfg.Redactor
	rec := &difflog.Record{
		Kind: difflog.KindDiff, Time: rt.clock.Now().UTC(), Run: rt.run, RequestID: j.reqID, Route: name,
		Method: j.method, Path: redactURI(red, j.uri), Primary: string(j.primary),
		Legacy: summary(legacyAns), New: summary(newAns), Diffs: diffs, Suppressed: supp,
		RequestHeaders: red.Header(j.header),
	}
	if len(j.reqBody) > 0 && len(j.reqBody) <= maxRecordedBody {
		if v, err := jsondiff.Decode(j.reqBody); err == nil {
			if b, err := marshal(red.Value(v)); err == nil {
				rec.RequestBody = b
			}
		}
	}
	if err := rt.difflog.Write(rec); err != nil {
		rt.log.Warn("diff log write failed", slog.String("error", err.Error()))
	}
}

func value(red *redact.Redactor, keys []string, v any, has bool) json.RawMessage {
	if !has {
		return nil
	}
	b, err := marshal(red.PathValue(keys, v))
	if err != nil {
		b, _ = marshal(fmt.Sprint(v))
	}
	if len(b) > maxValueBytes {
		b, _ = marshal(fmt.Sprintf("(%d bytes) %s...", len(b), b[:200]))
	}
	return b
}

// marshal is json.Marshal without HTML escaping: diff values are read by people, `<pre>` included.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func summary(a *answer) *difflog.Answer {
	return &difflog.Answer{Status: a.status, ContentType: a.header.Get("Content-Type"), Bytes: len(a.body)}
}

func redactURI(r *redact.Redactor, uri string) string {
	p, q, ok := strings.Cut(uri, "?")
	if !ok {
		return p
	}
	return p + "?" + r.Query(q)
}

// learned holds, per route, the paths that differed between two answers of the same server: noise
// for every later comparison of the route. Bounded per route.
type learned struct {
	mu     sync.RWMutex
	routes map[string]map[string]bool
}

const maxLearnedPerRoute = 512

func newLearned() *learned { return &learned{routes: map[string]map[string]bool{}} }

func (l *learned) add(routeName, path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.routes[routeName]
	if m == nil {
		m = map[string]bool{}
		l.routes[routeName] = m
	}
	if len(m) < maxLearnedPerRoute {
		m[path] = true
	}
}

func (l *learned) has(routeName, path string) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.routes[routeName][path]
}

// Learned returns the learned noise paths of a route.
func (rt *Router) Learned(routeName string) []string {
	rt.noise.mu.RLock()
	defer rt.noise.mu.RUnlock()
	var out []string
	for p := range rt.noise.routes[routeName] {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
