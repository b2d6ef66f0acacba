package httpx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestDecodeJSONClassifiesEveryFailure(t *testing.T) {
	type body struct {
		Email string `json:"email"`
		N     int    `json:"n"`
	}
	cases := []struct {
		name, ct, body string
		kind           DecodeKind
		field          string
	}{
		{"ok", "application/json", `{"email":"a","n":1}`, 0, ""},
		{"vendor json", "application/vnd.api+json", `{"email":"a"}`, 0, ""},
		{"empty", "application/json", ``, KindEmpty, ""},
		{"malformed", "application/json", `{"email":`, KindMalformed, ""},
		{"syntax", "application/json", `{email}`, KindMalformed, ""},
		{"trailing", "application/json", `{"email":"a"} {}`, KindMalformed, ""},
		{"string top level", "application/json", `"x"`, KindType, ""},
		{"array top level", "application/json", `[1]`, KindType, ""},
		{"wrong type", "application/json", `{"email":12345}`, KindType, "email"},
		{"wrong number", "application/json", `{"n":"1"}`, KindType, "n"},
		{"text/plain", "text/plain", `{"email":"a"}`, KindContentType, ""},
		{"too large", "application/json", `{"email":"` + strings.Repeat("a", 200) + `"}`, KindTooLarge, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got error
			h := MaxBody(100, func(w http.ResponseWriter, r *http.Request) { got = &DecodeError{Kind: KindTooLarge} })(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					var b body
					got = DecodeJSON(r, &b)
				}))
			req := httptest.NewRequest("POST", "/", strings.NewReader(c.body))
			req.ContentLength = -1 // exercise the streaming limit, not the Content-Length shortcut
			req.Header.Set("Content-Type", c.ct)
			h.ServeHTTP(httptest.NewRecorder(), req)
			if c.kind == 0 {
				if got != nil {
					t.Fatalf("unexpected error %v", got)
				}
				return
			}
			de, ok := got.(*DecodeError)
			if !ok || de.Kind != c.kind || de.Field != c.field {
				t.Fatalf("got %#v, want kind %d field %q", got, c.kind, c.field)
			}
			if de.Msg == "" {
				t.Fatal("a decode error must carry a message for the client")
			}
		})
	}
}

func TestMaxBodyRefusesDeclaredOversizeBeforeReading(t *testing.T) {
	called := false
	h := MaxBody(10, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(413) })(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 11))))
	if rec.Code != 413 || called {
		t.Fatalf("code %d, handler called %v", rec.Code, called)
	}
}

func TestCORS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	t.Run("wildcard preflight", func(t *testing.T) {
		h := CORS(CORSConfig{Origins: []string{"*"}})(ok)
		req := httptest.NewRequest("OPTIONS", "/api/anything", nil)
		req.Header.Set("Origin", "http://evil.example")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			rec.Header().Get("Access-Control-Allow-Headers") != "authorization,content-type" ||
			rec.Header().Get("Access-Control-Allow-Methods") != "GET,HEAD,PUT,PATCH,POST,DELETE" {
			t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
		}
	})
	t.Run("listed origin with credentials", func(t *testing.T) {
		h := CORS(CORSConfig{Origins: []string{"http://localhost:3000"}, Credentials: true})(ok)
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Origin", "http://localhost:3000")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" || rec.Header().Get("Access-Control-Allow-Credentials") != "true" {
			t.Fatalf("headers: %v", rec.Header())
		}
		req.Header.Set("Origin", "http://evil.example")
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("an unlisted origin got CORS headers: %v", rec.Header())
		}
	})
}

func TestRecoverAnswersInsteadOfDroppingTheConnection(t *testing.T) {
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		RequestID(), Recover(quiet(), func(w http.ResponseWriter, r *http.Request) {
			WriteJSON(w, 500, map[string]string{"error": "Internal server error"})
		}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Internal server error") || rec.Header().Get("X-Request-ID") == "" {
		t.Fatalf("got %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
}

// The services chain AccessLog, Recover and Metrics, which share one recorder (Observe): the line
// logged for a request is the status the client got, a recovered panic's 500 included.
func TestAccessLogRecordsWhatTheClientGot(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	mux.HandleFunc("POST /made", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 201, map[string]int{"id": 1}) })
	h := Chain(mux, RequestID(), AccessLog(slog.New(slog.NewJSONHandler(&logs, nil)), TrustedProxies{}),
		Recover(quiet(), func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 500, map[string]string{"error": "x"}) }),
		NewMetrics(reg, "test").Middleware())
	for _, c := range []struct {
		method, path string
		want         int
	}{{"GET", "/boom", 500}, {"POST", "/made", 201}} {
		logs.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.want || !strings.Contains(logs.String(), fmt.Sprintf(`"status":%d`, c.want)) {
			t.Errorf("%s %s: client got %d, logged %s", c.method, c.path, rec.Code, logs.String())
		}
	}
}

func TestRequestIDKeepsSaneCallerIDs(t *testing.T) {
	var seen string
	h := RequestID()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestIDFrom(r.Context()) }))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if seen != "abc-123" {
		t.Fatalf("caller id lost: %q", seen)
	}
	req.Header.Set("X-Request-ID", "bad id\n with spaces")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if seen == "" || strings.Contains(seen, " ") {
		t.Fatalf("unsafe id kept: %q", seen)
	}
}

func TestAccessLogAndMetrics(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, "test")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) })
	h := Chain(mux, RequestID(), AccessLog(slog.New(slog.NewJSONHandler(&logs, nil)), TrustedProxies{}), m.Middleware())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/7", nil))
	line := logs.String()
	for _, want := range []string{`"method":"GET"`, `"path":"/items/7"`, `"status":404`, `"request_id":`, `"duration_ms":`, `"ip":"192.0.2.1"`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log %s lacks %s", line, want)
		}
	}
	rec := httptest.NewRecorder()
	MetricsHandler(reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `http_requests_total{method="GET",route="GET /items/{id}",service="test",status="404"} 1`) {
		t.Errorf("metrics lack the request by pattern:\n%s", rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), "process_resident_memory_bytes") {
		t.Error("metrics lack process_resident_memory_bytes (the load command reads it)")
	}
}

func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	entered := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ServeConfig{Listener: ln, Handler: h, Logger: quiet()}) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-entered
	cancel() // SIGTERM arrives while the request is in flight

	// The shutdown has begun once the listener refuses new connections. From then on the request
	// is still held by the handler, so Serve must neither return nor cut the connection.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) while a request was still in flight", err)
	case body := <-got:
		t.Fatalf("the in-flight request ended before its handler did: %q", body)
	default:
	}

	close(release)
	if body := <-got; body != "finished" {
		t.Fatalf("in-flight request got %q", body)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
