package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/otlptest"
)

// runUntilStopped seeds the database, runs `cohortly serve` on port 0 with getenv and returns its
// base URL, its log and a stop function that cancels it and returns its exit status. Stopping drains
// the server and shuts its tracer provider down, which exports every span: nothing waits on a clock.
func runUntilStopped(t *testing.T, getenv func(string) string) (string, *proctest.ReadyLog, func() int) {
	t.Helper()
	var seedLog lockedBuffer
	if code := run(t.Context(), []string{"seed"}, getenv, &seedLog, &seedLog); code != 0 {
		t.Fatalf("seed exited %d:\n%s", code, seedLog.String())
	}
	return proctest.Serve(t, run, []string{"serve"}, getenv, "cohortly listening")
}

const (
	givenTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	givenParent = "00f067aa0ba902b7"
)

// TestTracing exports the spans of a read (the lead list) and a write (a registration, which also
// sends the welcome email through SendGrid) to an OTLP receiver in the test and checks their trees
// (request span -> database spans, request span -> SendGrid client span), the caller's traceparent
// and the trace ids in the log, on SQLite and on PostgreSQL.
func TestTracing(t *testing.T) {
	engines := map[string]func(t *testing.T) []string{
		"sqlite": func(t *testing.T) []string {
			return []string{"COHORTLY_SQLITE_PATH", filepath.Join(t.TempDir(), "cohortly.db")}
		},
		"postgresql": func(t *testing.T) []string {
			return []string{"DATABASE_URL", testenv.PostgresDB(t, "otel_cohortly_", "")}
		},
	}
	for engine, setup := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			rcv := otlptest.Start(t)
			var mu sync.Mutex
			var emails int
			sendgrid := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				emails++
				mu.Unlock()
				w.WriteHeader(http.StatusAccepted)
			}))
			defer sendgrid.Close()
			kv := append([]string{"OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL, "BCRYPT_COST", "4", "HOST", "127.0.0.1", "PORT", "0",
				"EMAIL_ENABLED", "true", "SENDGRID_API_KEY", "SG.test", "SENDGRID_API_URL", sendgrid.URL}, setup(t)...)
			base, logs, stop := runUntilStopped(t, envMap(kv...))

			login := call(t, "POST", base+"/api/v1/auth/login", "", `{"email":"admin@bootcamp.com","password":"Password123!"}`)
			if login.status != 200 {
				t.Fatalf("login: %d %v", login.status, login.body)
			}
			tok := login.body["data"].(map[string]any)["accessToken"].(string)
			req, _ := http.NewRequest("GET", base+"/api/v1/leads?page=1&limit=20", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("traceparent", "00-"+givenTrace+"-"+givenParent+"-01")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("leads: %d", resp.StatusCode)
			}
			if a := call(t, "POST", base+"/api/v1/auth/register", "", `{"email":"traced@example.com","password":"Password123!","fullName":"Tra Ced"}`); a.status != 201 {
				t.Fatalf("register: %d %v", a.status, a.body)
			}
			if code := stop(); code != 0 {
				t.Fatalf("exit %d:\n%s", code, logs)
			}
			mu.Lock()
			sent := emails
			mu.Unlock()
			if sent != 1 {
				t.Fatalf("%d welcome emails sent", sent)
			}

			read := requestSpan(t, rcv, "GET /api/v1/leads")
			if read.TraceID != givenTrace || read.ParentSpanID != givenParent {
				t.Errorf("traceparent not honoured: trace %s parent %s", read.TraceID, read.ParentSpanID)
			}
			if read.Service != "cohortly" || read.Attrs["http.response.status_code"] != "200" || read.Attrs["http.route"] != "/api/v1/leads" || read.StatusCode != "unset" {
				t.Errorf("read span: %+v", read)
			}
			readLeads := false
			for _, s := range dbSpans(t, rcv, read, engine) {
				readLeads = readLeads || s.Name == "SELECT" && strings.Contains(s.Attrs["db.query.text"], "FROM leads")
			}
			if !readLeads {
				t.Errorf("no span of the page's SELECT under the read:\n%s", rcv.Trace(read.TraceID))
			}

			write := requestSpan(t, rcv, "POST /api/v1/auth/register")
			if write.ParentSpanID != "" || write.Attrs["http.response.status_code"] != "201" {
				t.Errorf("write span: %+v", write)
			}
			tree := rcv.Trace(write.TraceID)
			wroteUser := false
			for _, s := range dbSpans(t, rcv, write, engine) {
				wroteUser = wroteUser || s.Name == "INSERT" && strings.Contains(s.Attrs["db.query.text"], "INSERT INTO users")
			}
			if !wroteUser {
				t.Errorf("no span of the user's INSERT under the write:\n%s", tree)
			}
			var email []otlptest.Span
			for _, s := range tree.Children(write) {
				if s.Kind == "client" && s.Name == "POST "+strings.TrimPrefix(sendgrid.URL, "http://") {
					email = append(email, s)
				}
			}
			if len(email) != 1 || email[0].Attrs["http.response.status_code"] != "202" {
				t.Errorf("SendGrid call under the write: %+v\n%s", email, tree)
			}

			lines := logs.Lines(t)
			for _, span := range []otlptest.Span{read, write} {
				n := 0
				for _, l := range lines {
					if l["trace_id"] == span.TraceID {
						n++
						if l["span_id"] != span.SpanID {
							t.Errorf("log line %v: span_id, want %s", l, span.SpanID)
						}
					}
				}
				if n == 0 {
					t.Errorf("no log line with the trace id of %s:\n%s", span.Name, logs)
				}
			}
			for _, l := range lines {
				if l["msg"] == "request" && l["trace_id"] == nil {
					t.Errorf("request logged without its trace id: %v", l)
				}
			}
		})
	}
}

// requestSpan is the one server span named name.
func requestSpan(t *testing.T, rcv *otlptest.Receiver, name string) otlptest.Span {
	t.Helper()
	return rcv.ServerSpan(t, name)
}

// dbSpans are the database spans below the request span req; there must be some.
func dbSpans(t *testing.T, rcv *otlptest.Receiver, req otlptest.Span, system string) []otlptest.Span {
	t.Helper()
	out := rcv.DBSpans(t, req, system)
	if len(out) == 0 {
		t.Errorf("no %s span under %s:\n%s", system, req.Name, rcv.Trace(req.TraceID))
	}
	return out
}

// TestNoTracingWhenDisabled points the exporter at a receiver but turns the SDK off and sends a
// traceparent: nothing is exported and no log line carries a trace id.
func TestNoTracingWhenDisabled(t *testing.T) {
	t.Parallel()
	rcv := otlptest.Start(t)
	base, logs, stop := runUntilStopped(t, envMap("OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL, "OTEL_SDK_DISABLED", "true",
		"COHORTLY_SQLITE_PATH", filepath.Join(t.TempDir(), "cohortly.db"), "BCRYPT_COST", "4", "HOST", "127.0.0.1", "PORT", "0"))
	login := call(t, "POST", base+"/api/v1/auth/login", "", `{"email":"admin@bootcamp.com","password":"Password123!"}`)
	tok := login.body["data"].(map[string]any)["accessToken"].(string)
	req, _ := http.NewRequest("GET", base+"/api/v1/leads", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("traceparent", "00-"+givenTrace+"-"+givenParent+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := rcv.Requests(); n != 0 {
		t.Errorf("%d exports with OTEL_SDK_DISABLED=true", n)
	}
	if s := logs.String(); strings.Contains(s, "trace_id") || strings.Contains(s, "tracing:") {
		t.Errorf("tracing in the log:\n%s", s)
	}
}
