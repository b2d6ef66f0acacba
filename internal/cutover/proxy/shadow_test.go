package proxy_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
)

func TestShadowNeverSendsAWriteTwice(t *testing.T) {
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	e := start(t, `
routes:
  - match: POST /api/preview
    to: shadow legacy
    side_effect_free: true
  - /api/ -> shadow legacy
`, legacy, newB)
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if r := e.do(t, m, "/api/thing", `{"a":1}`, "Content-Type", "application/json"); r.status != 200 {
			t.Fatalf("%s: %d", m, r.status)
		}
	}
	e.do(t, "GET", "/api/thing", "")
	e.do(t, "POST", "/api/preview", `{"offer":"20% off"}`, "Content-Type", "application/json")
	e.router.Drain()
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if l, n := legacy.count(m+" /api/thing"), newB.count(m+" /api/thing"); l != 1 || n != 0 {
			t.Errorf("%s: legacy got %d, new %d; a write goes to the primary once and nowhere else", m, l, n)
		}
	}
	// A safe request: the primary answers, the copy goes to new, and a second call to the primary
	// shows its noise.
	if l, n := legacy.count("GET /api/thing"), newB.count("GET /api/thing"); l != 2 || n != 1 {
		t.Errorf("GET: legacy %d (answer + noise probe), new %d (copy)", l, n)
	}
	if n := newB.count("POST /api/preview"); n != 1 || newB.bodies["POST /api/preview"][0] != `{"offer":"20% off"}` {
		t.Errorf("side-effect-free POST: new got %d copies, bodies %q", n, newB.bodies["POST /api/preview"])
	}
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"route": "/api/", "outcome": "unsafe"}); got != 4 {
		t.Errorf("unsafe outcomes: %v, want 4", got)
	}
	if h := newB.lastHeader(); h.Get("X-Cutover-Shadow") != "copy" || h.Get("X-Request-ID") == "" {
		t.Errorf("copy headers: %v", h)
	}
}

// blocker is a backend handler that announces each request and holds it until released.
type blocker struct {
	arrived chan struct{}
	release chan struct{}
}

func newBlocker() *blocker {
	return &blocker{arrived: make(chan struct{}, 16), release: make(chan struct{})}
}

func (b *blocker) handler(w http.ResponseWriter, r *http.Request) {
	b.arrived <- struct{}{}
	select {
	case <-b.release:
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"side":"new"}`)
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second): // a guard against a hang, not a wait for something to happen
		t.Fatalf("timed out waiting for %s", what)
	}
}

func TestPrimaryAnswersWhileTheShadowIsBlocked(t *testing.T) {
	bl := newBlocker()
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", bl.handler)
	e := start(t, "default: shadow legacy\nshadow: {learn_noise: false}\n", legacy, newB)

	got := make(chan resp, 1)
	go func() { got <- e.do(t, "GET", "/api/auth/me", "") }()
	var r resp
	select {
	case r = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the primary answer waited for the shadow")
	}
	if r.status != 200 || !strings.Contains(r.body, `"legacy"`) {
		t.Fatalf("answer %d %s", r.status, r.body)
	}
	// The copy is at the shadow backend, still held: the client had its answer before it.
	waitFor(t, bl.arrived, "the shadow copy")
	if e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "compared"}) != 0 {
		t.Fatal("compared before the shadow answered")
	}
	close(bl.release)
	e.router.Drain()
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "compared"}); got != 1 {
		t.Errorf("compared %v, want 1", got)
	}
	if got := e.metric(t, "cutover_added_latency_seconds", nil); got != 1 {
		t.Errorf("added latency observations: %v, want 1", got)
	}
}

func TestFullQueueDropsAndCounts(t *testing.T) {
	bl := newBlocker()
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", bl.handler)
	e := start(t, "default: shadow legacy\nshadow: {queue: 1, workers: 1, learn_noise: false}\n", legacy, newB)

	e.do(t, "GET", "/a", "")
	waitFor(t, bl.arrived, "the first copy at the worker") // the only worker is busy
	e.do(t, "GET", "/b", "")                               // waits in the queue
	e.do(t, "GET", "/c", "")                               // queue full: dropped
	e.do(t, "GET", "/d", "")                               // dropped
	if got := e.metric(t, "cutover_shadow_dropped_total", nil); got != 2 {
		t.Errorf("dropped %v, want 2", got)
	}
	if got := e.metric(t, "cutover_shadow_queue_length", nil); got != 1 {
		t.Errorf("queue length %v, want 1", got)
	}
	close(bl.release)
	e.router.Drain()
	st := e.router.Snapshot()["default"]
	if st.Compared != 2 || st.Shadow["dropped"] != 2 || st.Requests["legacy"] != 4 {
		t.Errorf("stats %+v", st)
	}
	if legacy.total() != 4 {
		t.Errorf("every client request was answered by the primary: %d", legacy.total())
	}
}

func TestShadowTimeout(t *testing.T) {
	bl := newBlocker()
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", bl.handler)
	e := start(t, "default: shadow legacy\nshadow: {timeout: 20ms, learn_noise: false}\n", legacy, newB)
	e.do(t, "GET", "/a", "")
	e.router.Drain() // returns once the copy's own deadline has cut it off
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "timeout"}); got != 1 {
		t.Errorf("timeout outcomes %v, want 1", got)
	}
	close(bl.release)
}

func TestBodyLimit(t *testing.T) {
	big := strings.Repeat("x", 2048)
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		switch r.URL.Path {
		case "/big":
			fmt.Fprint(w, big)
		case "/big-chunked":
			for i := 0; i < 4; i++ {
				fmt.Fprint(w, big[:512])
				w.(http.Flusher).Flush()
			}
		default:
			fmt.Fprint(w, "small")
		}
	})
	newB := newBackend(t, "new", nil)
	e := start(t, `
shadow: {max_body: 1KiB, learn_noise: false}
routes:
  - match: POST /preview
    to: shadow legacy
    side_effect_free: true
  - / -> shadow legacy
`, legacy, newB)
	for _, p := range []string{"/big", "/big-chunked"} {
		if r := e.do(t, "GET", p, ""); r.status != 200 || len(r.body) != 2048 {
			t.Errorf("%s: the client must get the whole answer: %d, %d bytes", p, r.status, len(r.body))
		}
	}
	e.do(t, "POST", "/preview", big)
	e.do(t, "GET", "/small", "")
	e.router.Drain()
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "too_large"}); got != 3 {
		t.Errorf("too_large outcomes %v, want 3", got)
	}
	if newB.total() != 1 || newB.count("GET /small") != 1 {
		t.Errorf("only the small answer may be copied: %v", newB.hits)
	}
	if l := legacy.bodies["POST /preview"]; len(l) != 1 || len(l[0]) != 2048 {
		t.Errorf("the primary must get the whole request body")
	}
}

func TestDiffsNoiseExplanationsAndReport(t *testing.T) {
	legacy := newBackend(t, "legacy", jsonHandler(`{"a":1,"b":{"c":"x"},"list":[1,2],"token":"T1","n":1.0}`))
	newB := newBackend(t, "new", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		fmt.Fprint(w, `{"n":1,"token":"T2","list":[1,2,3],"b":{"c":"y"},"a":1}`)
	})
	e := start(t, `
default: shadow legacy
shadow: {learn_noise: false}
ignore:
  - path: $.token
    reason: "noise: signed at the second it is issued"
explain:
  - path: $.b.c
    reason: "legacy bug fixed on purpose, contract §9"
difflog: {path: on}
`, legacy, newB)
	e.do(t, "GET", "/api/x?page=1", "", "X-Request-ID", "req-1")
	// The comparisons run off the request path, so two may finish in either order: let the first
	// one be written before the second request, so that records and report samples have one order.
	e.router.Drain()
	e.do(t, "GET", "/api/x?page=2", "", "X-Request-ID", "req-2")
	recs := e.records(t)
	if len(recs) != 2 {
		t.Fatalf("%d diff records, want 2", len(recs))
	}
	// The two comparisons run on different workers: the log holds them in either order.
	first := recs[0].RequestID
	sort.Slice(recs, func(i, j int) bool { return recs[i].RequestID < recs[j].RequestID })
	r := recs[0]
	if r.RequestID != "req-1" || r.Route != "default" || r.Method != "GET" || r.Path != "/api/x?page=1" || r.Primary != "legacy" {
		t.Errorf("record header %+v", r)
	}
	want := []difflog.Diff{
		{Path: "$.b.c", General: "$.b.c", Legacy: []byte(`"x"`), New: []byte(`"y"`), Explained: "legacy bug fixed on purpose, contract §9"},
		{Path: "$.list[2]", General: "$.list[*]", New: []byte(`3`)},
	}
	if len(r.Diffs) != len(want) {
		t.Fatalf("diffs %+v", r.Diffs)
	}
	for i, d := range r.Diffs {
		w := want[i]
		if d.Path != w.Path || d.General != w.General || !bytes.Equal(d.Legacy, w.Legacy) || !bytes.Equal(d.New, w.New) || d.Explained != w.Explained {
			t.Errorf("diff %d: %+v, want %+v", i, d, w)
		}
	}
	if len(r.Suppressed) != 1 || r.Suppressed[0].Path != "$.token" || !strings.HasPrefix(r.Suppressed[0].Reason, "ignored: noise") {
		t.Errorf("suppressed %+v", r.Suppressed)
	}
	if got := e.metric(t, "cutover_diffs_total", map[string]string{"route": "default", "path": "$.list[*]"}); got != 2 {
		t.Errorf("diffs metric by path: %v", got)
	}

	// The report: requests, the diff rate, top paths with a sample each, explained or not.
	f, err := os.Open(e.difflog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	sum, err := difflog.Report(&out, []io.Reader{f}, difflog.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, s := range []string{
		"default  [shadow legacy]",
		"requests 2 (legacy 2); compared 2, with diffs 2 (100.00%)",
		"2  $.b.c  explained: legacy bug fixed on purpose, contract §9",
		fmt.Sprintf(`e.g. request %s GET /api/x?page=%s: legacy "x", new "y"`, first, strings.TrimPrefix(first, "req-")),
		"2  $.list[*]  UNEXPLAINED",
		"legacy (absent), new 3",
		"noise suppressed: $.token 2",
		"unexplained differing paths: 1",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	if sum.Unexplained != 1 || sum.Compared != 2 || sum.Diffed != 2 {
		t.Errorf("summary %+v", sum)
	}
}

func TestStatusAndContentTypeDiffs(t *testing.T) {
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(404)
		fmt.Fprint(w, "<pre>Cannot GET /nope</pre>")
	})
	newB := newBackend(t, "new", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"Access token required"}`)
	})
	e := start(t, `
default: shadow legacy
difflog: {path: on}
explain:
  - {path: status, new_status: [403], reason: "not this one: new answered 401"}
`, legacy, newB)
	e.do(t, "GET", "/nope", "")
	recs := e.records(t)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	var got []string
	for _, d := range recs[0].Diffs {
		got = append(got, d.Path+"="+string(d.Legacy)+"/"+string(d.New))
	}
	want := `status=404/401 content-type="text/html; charset=utf-8"/"application/json" body="27 bytes: <pre>Cannot GET /nope</pre>"/"33 bytes: {\"error\":\"Access token required\"}"`
	if strings.Join(got, " ") != want {
		t.Errorf("diffs\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	for _, d := range recs[0].Diffs {
		if d.Explained != "" {
			t.Errorf("%s explained by a note for another status: %q", d.Path, d.Explained)
		}
	}

	// Explained for the status the new side gave: the body's paths follow the status.
	e2 := start(t, `
default: shadow legacy
difflog: {path: on}
explain:
  - {path: status, new_status: [401], reason: "fixed on purpose: needs a token"}
`, legacy, newB)
	e2.do(t, "GET", "/nope", "")
	for _, d := range e2.records(t)[0].Diffs {
		want := "with the status difference: fixed on purpose: needs a token"
		if d.Path == "status" {
			want = "fixed on purpose: needs a token"
		}
		if d.Explained != want {
			t.Errorf("%s: explained %q, want %q", d.Path, d.Explained, want)
		}
	}
}

func TestLearnedNoise(t *testing.T) {
	var calls atomic.Int64
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"generatedAt":%d,"items":[{"id":1,"seen":%d}],"x":"legacy"}`, calls.Add(1), calls.Load())
	})
	newB := newBackend(t, "new", jsonHandler(`{"generatedAt":0,"items":[{"id":1,"seen":0}],"x":"new"}`))
	for _, learn := range []bool{true, false} {
		e := start(t, fmt.Sprintf("default: shadow legacy\nshadow: {learn_noise: %v}\ndifflog: {path: on}\n", learn), legacy, newB)
		e.do(t, "GET", "/api/dashboard", "")
		e.do(t, "GET", "/api/dashboard", "")
		recs := e.records(t)
		for _, r := range recs {
			var paths []string
			for _, d := range r.Diffs {
				paths = append(paths, d.Path)
			}
			want := "$.generatedAt $.items[0].seen $.x"
			if learn {
				want = "$.x" // the two fields that change between two answers of legacy are noise
			}
			if strings.Join(paths, " ") != want {
				t.Errorf("learn_noise %v: paths %v, want %s", learn, paths, want)
			}
			if learn && (len(r.Suppressed) != 2 || !strings.HasPrefix(r.Suppressed[0].Reason, "learned noise")) {
				t.Errorf("suppressed %+v", r.Suppressed)
			}
		}
		if learn {
			if l := e.router.Learned("default"); strings.Join(l, " ") != "$.generatedAt $.items[*].seen" {
				t.Errorf("learned %v", l)
			}
			if r := e.do(t, "GET", "/cutover/routes", ""); !strings.Contains(r.body, `"learned_noise":["$.generatedAt","$.items[*].seen"]`) {
				t.Errorf("/cutover/routes does not show the learned noise: %s", r.body)
			}
		}
	}
}

func TestNothingSecretInTheDiffLog(t *testing.T) {
	jwt := token(map[string]any{"user_id": 2})
	secrets := []string{jwt, "sid=s3cr3t", "hunter2", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"+14155550101", "+14155550102", "+14155550103", "tok-legacy", "tok-new", "query-token"}
	legacy := newBackend(t, "legacy", jsonHandler(`{"data":{"accessToken":"tok-legacy","user":{"password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","Phone":"+14155550101"},"leads":[{"phone_number":"+14155550102","n":1}]}}`))
	newB := newBackend(t, "new", jsonHandler(`{"data":{"accessToken":"tok-new","user":{"password_hash":"other"},"leads":[{"PhoneNumber":"+14155550103","n":2}],"extra":{"Password":"hunter2"}}}`))
	e := start(t, `
routes:
  - match: POST /api/v1/auth/preview
    to: shadow legacy
    side_effect_free: true
shadow: {learn_noise: false}
difflog: {path: on}
`, legacy, newB)
	e.do(t, "POST", "/api/v1/auth/preview?token=query-token", `{"email":"a@b.c","password":"hunter2"}`,
		"Authorization", "Bearer "+jwt, "Cookie", "sid=s3cr3t", "Content-Type", "application/json")
	recs := e.records(t)
	if len(recs) != 1 || len(recs[0].Diffs) < 5 {
		t.Fatalf("records %+v", recs)
	}
	b, err := os.ReadFile(e.difflog)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%q is in the diff log", s)
		}
	}
	if !bytes.Contains(b, []byte(`"Authorization":["[REDACTED]"]`)) || !bytes.Contains(b, []byte(`"password":"[REDACTED]"`)) {
		t.Errorf("redaction marks missing: %s", b)
	}
	if !bytes.Contains(b, []byte(`"path":"$.data.leads[0].n","general":"$.data.leads[*].n","legacy":1,"new":2`)) {
		t.Errorf("an ordinary diff lost its values: %s", b)
	}
}

func TestQueueIsBoundedInBytes(t *testing.T) {
	bl := newBlocker()
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", 600))
	})
	newB := newBackend(t, "new", bl.handler)
	e := start(t, "default: shadow legacy\nshadow: {queue: 100, workers: 1, max_queued_bytes: 1KiB, learn_noise: false}\n", legacy, newB)
	e.do(t, "GET", "/a", "")
	waitFor(t, bl.arrived, "the first copy at the worker")
	e.do(t, "GET", "/b", "") // 600 bytes queued
	e.do(t, "GET", "/c", "") // 1200 > 1024: dropped although the queue has room
	if got := e.metric(t, "cutover_shadow_dropped_total", nil); got != 1 {
		t.Errorf("dropped %v, want 1", got)
	}
	close(bl.release)
	e.router.Drain()
	e.do(t, "GET", "/d", "") // the budget is back once the worker took the job
	e.router.Drain()
	if st := e.router.Snapshot()["default"]; st.Compared != 3 || st.Shadow["dropped"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// A browser revalidates what it cached: Express answers 304 (weak ETag), ours 200 with the body. The
// 304 has nothing to compare, so it is counted as not_modified, not reported as a diff.
func TestNotModifiedIsNotCompared(t *testing.T) {
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `W/"7-abc"`)
		if r.Header.Get("If-None-Match") == `W/"7-abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"a":1}`)
	})
	newB := newBackend(t, "new", jsonHandler(`{"a":1}`))
	e := start(t, "default: shadow legacy\nshadow: {learn_noise: false}\n", legacy, newB)
	if r := e.do(t, "GET", "/a", "", "If-None-Match", `W/"7-abc"`); r.status != 304 {
		t.Fatalf("the client must get the primary's 304, got %d", r.status)
	}
	e.do(t, "GET", "/a", "")
	e.router.Drain()
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "not_modified"}); got != 1 {
		t.Errorf("not_modified outcomes %v, want 1", got)
	}
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "diff"}); got != 0 {
		t.Errorf("diff outcomes %v, want 0 (the 304 is no answer to compare)", got)
	}
	if got := e.metric(t, "cutover_shadow_total", map[string]string{"outcome": "compared"}); got != 1 {
		t.Errorf("compared %v, want 1 (the unconditional request)", got)
	}
}
