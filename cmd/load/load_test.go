package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHistogramBucketsTileTheRange(t *testing.T) {
	prevHi := int64(-1)
	for i := 0; i < numBuckets; i++ {
		lo, hi := bucketBounds(i)
		if lo != prevHi+1 || hi < lo {
			t.Fatalf("bucket %d = [%d,%d] after %d", i, lo, hi, prevHi)
		}
		if bucketOf(lo) != i || bucketOf(hi) != i {
			t.Fatalf("bucket %d: bucketOf(%d)=%d bucketOf(%d)=%d", i, lo, bucketOf(lo), hi, bucketOf(hi))
		}
		if hi == 1<<63-1 {
			return
		}
		prevHi = hi
	}
	t.Fatal("buckets do not reach MaxInt64")
}

func TestHistogramPercentiles(t *testing.T) {
	// 1..100000 µs, shuffled and split over two per-worker histograms, then merged.
	var a, b histogram
	rng := rand.New(rand.NewPCG(1, 2))
	for _, i := range rng.Perm(100000) {
		d := time.Duration(i+1) * time.Microsecond
		if i%2 == 0 {
			a.record(d)
		} else {
			b.record(d)
		}
	}
	a.merge(&b)
	if a.n != 100000 || a.min != time.Microsecond || a.max != 100*time.Millisecond {
		t.Fatalf("n=%d min=%v max=%v", a.n, a.min, a.max)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.9, 90 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		got := a.percentile(tt.q)
		if diff := float64(got-tt.want) / float64(tt.want); diff < 0 || diff > 1.0/64 {
			t.Errorf("p%v = %v, want %v within +1.6%%", tt.q*100, got, tt.want)
		}
	}
	if m := a.mean(); m < 50*time.Millisecond || m > 50*time.Millisecond+time.Microsecond {
		t.Errorf("mean %v", m)
	}
	var empty histogram
	if empty.percentile(0.99) != 0 || empty.mean() != 0 {
		t.Error("empty histogram")
	}
}

// fakeService is a tiny Momentum/Cohortly look-alike: a login, endpoints that need the token, a flaky
// one, a broken one and /metrics.
type fakeService struct {
	hits       atomic.Int64
	flaky      atomic.Int64
	registered atomic.Bool
	needSignup bool
	// Ids that differ between two servers: the caller's restaurant, its pending checklist rows, the
	// first page of leads.
	restaurantID string
	statusIDs    []string
	leadIDs      []string

	mu     sync.Mutex
	writes []string // "METHOD path body" of every write received
}

func (f *fakeService) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.writes = append(f.writes, r.Method+" "+r.URL.Path+" "+string(b))
	f.mu.Unlock()
}

func (f *fakeService) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}

const fakeToken = "tok-123"

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/auth/login", "/api/v1/auth/login":
		var creds map[string]string
		json.NewDecoder(r.Body).Decode(&creds)
		if f.needSignup && !f.registered.Load() || creds["password"] != "pw" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"Invalid credentials"}`)
			return
		}
		if r.URL.Path == "/api/v1/auth/login" {
			io.WriteString(w, `{"success":true,"data":{"accessToken":"`+fakeToken+`"}}`)
			return
		}
		rid := f.restaurantID
		if rid == "" {
			rid = "1"
		}
		io.WriteString(w, `{"message":"Login successful","token":"`+fakeToken+`","user":{"user_id":2,"restaurant":{"restaurant_id":`+rid+`}}}`)
		return
	case "/api/auth/register":
		if f.registered.Load() {
			f.record(r)
			w.WriteHeader(201)
			return
		}
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		if body["restaurantName"] == "" {
			w.WriteHeader(400)
			return
		}
		f.registered.Store(true)
		w.WriteHeader(201)
		return
	case "/metrics":
		io.WriteString(w, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 3.145728e+07\n")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		w.WriteHeader(401)
		return
	}
	f.hits.Add(1)
	switch {
	case r.URL.Path == "/api/dashboard/restaurant":
		var tasks []string
		for _, id := range f.statusIDs {
			tasks = append(tasks, `{"status_id":`+id+`,"is_complete":0}`)
		}
		io.WriteString(w, `{"restaurant":{},"pendingTasks":[`+strings.Join(tasks, ",")+`]}`)
		return
	case r.URL.Path == "/api/v1/leads" && r.Method == "GET":
		var leads []string
		for _, id := range f.leadIDs {
			leads = append(leads, `{"id":"`+id+`"}`)
		}
		fmt.Fprintf(w, `{"success":true,"data":[%s],"pagination":{"total":%d}}`, strings.Join(leads, ","), len(f.leadIDs))
		return
	case r.Method == "PUT" || r.Method == "POST":
		f.record(r)
		w.WriteHeader(map[bool]int{true: 201, false: 200}[r.Method == "POST"])
		io.WriteString(w, `{"ok":true}`)
		return
	}
	switch r.URL.Path {
	case "/flaky": // every 10th answer is a 500
		if f.flaky.Add(1)%10 == 0 {
			w.WriteHeader(500)
			return
		}
	case "/gone":
		w.WriteHeader(404)
		return
	case "/broken": // hangs up without answering
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true}`)
}

// row finds an endpoint's line in the report and returns its columns after the name.
func row(t *testing.T, out, name string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatalf("no row for %q in\n%s", name, out)
	return nil
}

func runLoad(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestLoadCountsStatusesAndErrors(t *testing.T) {
	f := &fakeService{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	// -n bounds each endpoint by count; -d is only a safety net, so nothing here depends on timing.
	code, out, stderr := runLoad(t, "-service", "momentum", "-url", srv.URL, "-c", "4", "-d", "1m", "-n", "200",
		"-warmup", "0", "-password", "pw", "-endpoints", "GET /ok?x=1, /flaky,/gone,GET /broken")
	if code != 1 {
		t.Errorf("exit %d, want 1 (non-2xx and errors seen); stderr %s", code, stderr)
	}
	if strings.Contains(out, fakeToken) || strings.Contains(stderr, fakeToken) {
		t.Error("the token is printed")
	}
	for _, tt := range []struct {
		name                     string
		requests, non2xx, errors string
	}{
		{"GET /ok?x=1", "200", "0", "0"},
		{"GET /flaky", "200", "20", "0"},
		{"GET /gone", "200", "200", "0"},
		{"GET /broken", "0", "0", "200"},
	} {
		cols := row(t, out, tt.name)
		// requests req/s p50 p90 p99 max non-2xx errors vs-baseline
		if len(cols) != 9 || cols[0] != tt.requests || cols[6] != tt.non2xx || cols[7] != tt.errors || cols[8] != "-" {
			t.Errorf("%s: columns %q, want requests %s non-2xx %s errors %s", tt.name, cols, tt.requests, tt.non2xx, tt.errors)
		}
		if tt.requests != "0" {
			var lat [4]float64
			for i := range lat {
				lat[i], _ = strconv.ParseFloat(strings.TrimSuffix(cols[2+i], "ms"), 64)
			}
			if !(lat[0] > 0 && lat[0] <= lat[1] && lat[1] <= lat[2] && lat[2] <= lat[3]) {
				t.Errorf("%s: percentiles not ordered: %q", tt.name, cols[2:6])
			}
		}
	}
	if got := f.hits.Load(); got < 800 {
		t.Errorf("server saw %d authorised requests, want at least 800", got)
	}
	for _, want := range []string{"GET /flaky: HTTP 500 ×20", "GET /gone: HTTP 404 ×200", "GET /broken: 200 transport errors (first: ",
		"server memory (/metrics process_resident_memory_bytes): 30.0 MiB (31457280 bytes)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLoadDefaultProfilesAndBaseline(t *testing.T) {
	srv := httptest.NewServer(&fakeService{})
	t.Cleanup(srv.Close)
	code, out, stderr := runLoad(t, "-service", "momentum", "-url", srv.URL+"/", "-c", "2", "-d", "1m", "-n", "50",
		"-warmup", "0", "-password", "pw", "-baseline", "-pid", strconv.Itoa(os.Getpid()))
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, ep := range []string{"GET /api/auth/me", "GET /api/dashboard/restaurant", "GET /api/checklist/categories-with-items?restaurantId={restaurantId}"} {
		cols := row(t, out, ep)
		if cols[0] != "50" || !strings.HasSuffix(cols[8], "%") {
			t.Errorf("%s: %q", ep, cols)
		}
	}
	if cols := row(t, out, "baseline (in-process Go handler)"); cols[0] != "50" {
		t.Errorf("baseline %q", cols)
	}
	if !strings.Contains(out, fmt.Sprintf("server memory (/proc/%d/status VmRSS): ", os.Getpid())) {
		t.Errorf("no VmRSS line:\n%s", out)
	}

	// Cohortly: the token is at data.accessToken.
	code, out, stderr = runLoad(t, "-service", "cohortly", "-url", srv.URL, "-c", "2", "-d", "1m", "-n", "10",
		"-warmup", "0", "-password", "pw")
	if code != 0 {
		t.Fatalf("cohortly exit %d: %s\n%s", code, stderr, out)
	}
	for _, ep := range []string{"GET /api/v1/auth/me", "GET /api/v1/leads?page=1&limit=20", "GET /api/v1/bootcamps"} {
		if cols := row(t, out, ep); cols[0] != "10" || cols[6] != "0" {
			t.Errorf("%s: %q", ep, cols)
		}
	}
}

// -rounds measures the baseline and every endpoint again each round and summarises them: counts add
// up over the rounds and every ratio is against a baseline of the same round.
func TestLoadRounds(t *testing.T) {
	srv := httptest.NewServer(&fakeService{})
	t.Cleanup(srv.Close)
	code, out, stderr := runLoad(t, "-service", "cohortly", "-url", srv.URL, "-c", "2", "-d", "1m", "-n", "20",
		"-warmup", "0", "-password", "pw", "-baseline", "-rounds", "3", "-endpoints", "/api/v1/auth/me,/flaky")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (/flaky fails): %s\n%s", code, stderr, out)
	}
	for round := 1; round <= 3; round++ {
		for _, name := range []string{"baseline (in-process Go handler)", "GET /api/v1/auth/me", "GET /flaky"} {
			if cols := row(t, out, fmt.Sprintf("%s (round %d)", name, round)); cols[0] != "20" {
				t.Errorf("%s round %d: %q", name, round, cols)
			}
		}
	}
	summary := out[strings.Index(out, "summary of 3 rounds"):]
	if cols := row(t, summary, "GET /api/v1/auth/me"); cols[0] != "60" || cols[6] != "0" || !strings.HasSuffix(cols[8], "%") {
		t.Errorf("me summary %q", cols)
	}
	if cols := row(t, summary, "baseline (in-process Go handler)"); cols[0] != "60" || cols[8] != "-" {
		t.Errorf("baseline summary %q", cols)
	}
	flaky := row(t, summary, "GET /flaky")
	if n, _ := strconv.Atoi(flaky[0]); n != 60 {
		t.Errorf("flaky summary %q", flaky)
	}
	if non2xx, _ := strconv.Atoi(flaky[6]); non2xx == 0 {
		t.Errorf("flaky summary counts no failures: %q", flaky)
	}
	if strings.Count(out, "GET /flaky: ") != 3 {
		t.Errorf("want one failure line per round:\n%s", out)
	}
}

func TestLoadLoginAndRegister(t *testing.T) {
	f := &fakeService{needSignup: true}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	code, _, stderr := runLoad(t, "-url", srv.URL, "-password", "pw", "-n", "1", "-warmup", "0")
	if code != 2 || !strings.Contains(stderr, "login as test@restaurant.com: HTTP 401") || !strings.Contains(stderr, "-prepare") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := runLoad(t, "-url", srv.URL, "-password", "pw", "-register", "-n", "5", "-c", "1", "-warmup", "0",
		"-endpoints", "/ok")
	if code != 0 || !f.registered.Load() || row(t, out, "GET /ok")[0] != "5" {
		t.Errorf("exit %d registered %v stderr %q out %s", code, f.registered.Load(), stderr, out)
	}
}

func TestLoadRejectsBadOptions(t *testing.T) {
	for _, args := range [][]string{
		{"-service", "other"},
		{"-url", "ftp://x"},
		{"-url", "127.0.0.1:5001"},
		{"-c", "0"},
		{"-d", "0s"},
		{"-d", "2h"},
		{"-n", "-1"},
		{"-rounds", "0"},
		{"-rounds", "101"},
		{"-cpu-of", "a/b"},
		{"-cpu-of", "postgres,,"},
		{"-endpoints", "POST /api/auth/login"},
		{"-endpoints", "/api/x/{nope}"},
		{"-against", "ftp://x"},
		{"-against-pid", "1"},
		{"-against", "http://127.0.0.1:1", "-names", "ours"},
		{"-against", "http://127.0.0.1:1", "-names", "a,a"},
		{"-endpoints", "GET api/auth/me"},
		{"-endpoints", " , "},
		{"stray"},
	} {
		if code, _, stderr := runLoad(t, args...); code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestLoadUnreachableServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	if code, _, stderr := runLoad(t, "-url", srv.URL, "-n", "1"); code != 2 || !strings.Contains(stderr, "login") {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
}

func TestParsers(t *testing.T) {
	v, err := parseMetric(strings.NewReader("process_resident_memory_bytes_total 1\nprocess_resident_memory_bytes{pid=\"1\"} 2048\n"), "process_resident_memory_bytes")
	if err != nil || v != 2048 {
		t.Errorf("labels: %v %v", v, err)
	}
	if _, err := parseMetric(strings.NewReader("go_goroutines 8\n"), "process_resident_memory_bytes"); err == nil {
		t.Error("missing metric accepted")
	}
	v, err = parseVmRSS(strings.NewReader("Name:\tx\nVmRSS:\t   23456 kB\n"))
	if err != nil || v != 23456*1024 {
		t.Errorf("VmRSS: %v %v", v, err)
	}
	if _, err := procRSS(os.Getpid()); err != nil {
		t.Errorf("own VmRSS: %v", err)
	}
	if _, err := extractToken([]byte(`{"data":{"accessToken":7}}`), []string{"data", "accessToken"}); err == nil {
		t.Error("non-string token accepted")
	}
}

// TestPrepareCreatesAFullPageOfLeads checks -prepare for Cohortly: it counts the leads and creates the
// missing ones, so GET /leads reads a page of 20 rows.
func TestPrepareCreatesAFullPageOfLeads(t *testing.T) {
	var mu sync.Mutex
	total, created := 17, 0
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"success":true,"data":{"accessToken":"tok"}}`)
	})
	mux.HandleFunc("GET /api/v1/leads", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, `{"success":true,"data":[],"pagination":{"page":1,"limit":1,"total":%d}}`, total)
	})
	mux.HandleFunc("POST /api/v1/leads", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(401)
			return
		}
		mu.Lock()
		total++
		created++
		mu.Unlock()
		w.WriteHeader(201)
		io.WriteString(w, `{"success":true}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	code, out, stderr := runLoad(t, "-service", "cohortly", "-url", srv.URL, "-prepare", "-c", "1", "-d", "1m", "-n", "1", "-warmup", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	if created != 3 || total != 20 {
		t.Fatalf("created %d leads (total %d), want 3 (20)", created, total)
	}
}

func TestCounters(t *testing.T) {
	cs := splitCounters(`cutover_shadow_dropped_total, cutover_shadow_total{outcome="compared",route="/api/"},x`)
	if len(cs) != 3 || cs[1].name != "cutover_shadow_total" || len(cs[1].labels) != 2 {
		t.Fatalf("%+v", cs)
	}
	text := `# TYPE cutover_shadow_total counter
cutover_shadow_total{outcome="compared",route="/api/"} 7
cutover_shadow_total{outcome="dropped",route="/api/"} 3
cutover_shadow_total{outcome="compared",route="default"} 5
cutover_shadow_dropped_total 3
cutover_shadow_dropped_total_extra 9
`
	for i, want := range []float64{3, 7, 0} {
		got, err := sumCounter(strings.NewReader(text), cs[i])
		if err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", cs[i].text, got, err, want)
		}
	}
	all, _ := sumCounter(strings.NewReader(text), counter{name: "cutover_shadow_total"})
	if all != 15 {
		t.Errorf("sum over every sample: %v", all)
	}
}
