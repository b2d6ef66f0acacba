package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/otlptest"
)

// runUntilStopped runs `momentum serve` with env on port 0 and returns its base URL, its log and a
// stop function that cancels it and returns its exit status. Stopping drains the server and shuts
// its tracer provider down, which exports every span: nothing waits on a clock.
func runUntilStopped(t *testing.T, env map[string]string) (string, *proctest.ReadyLog, func() int) {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"PORT": "0", "HOST": "127.0.0.1", "APP_ENV": "development",
		"MOMENTUM_SQLITE_PATH": filepath.Join(dir, "momentum.db"), "UPLOAD_DIR": filepath.Join(dir, "uploads"),
		"MOMENTUM_ENV_FILE": filepath.Join(dir, "none.env"), "BCRYPT_COST": "4",
	}
	for k, v := range env {
		base[k] = v
	}
	return proctest.Serve(t, run, []string{"serve"}, func(k string) string { return base[k] }, "ready")
}

// logLines decodes the JSON log lines.
func logLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// fakeOpenAI answers every chat completion with an ad.
func fakeOpenAI(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		content, _ := json.Marshal(map[string]string{"headline": "Tacos tonight!", "body": "Two for one.", "cta": "Call us!"})
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"model": "gpt-test",
			"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": string(content)}}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

const (
	givenTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	givenParent = "00f067aa0ba902b7"
)

// TestTracing exports the spans of a read, a write and a provider call to an OTLP receiver in the
// test and checks their trees (request span -> database spans, request span -> OpenAI client
// span), the caller's traceparent and the trace ids in the log, on SQLite and on MongoDB.
func TestTracing(t *testing.T) {
	engines := map[string]func(t *testing.T) map[string]string{
		"sqlite": func(*testing.T) map[string]string { return nil },
		"mongodb": func(t *testing.T) map[string]string {
			uri, stop, err := mongotest.Start()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			return map[string]string{"MONGODB_URL": uri, "DATABASE_NAME": mongotest.DBName(t)}
		},
	}
	for engine, setup := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			rcv := otlptest.Start(t)
			openai := fakeOpenAI(t)
			env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL,
				"OPENAI_API_KEY": "sk-test-0123456789", "OPENAI_BASE_URL": openai.URL}
			for k, v := range setup(t) {
				env[k] = v
			}
			base, watch, stop := runUntilStopped(t, env)
			tok := login(t, base, "admin@momentum.com", "admin123")

			// The read, as a caller that is traced itself.
			req, _ := http.NewRequest("GET", base+"/api/auth/me", nil)
			req.Header.Set("traceparent", "00-"+givenTrace+"-"+givenParent+"-01")
			if code, body := do(t, req, tok); code != 200 {
				t.Fatalf("me: %d %v", code, body)
			}
			// The write.
			code, body := post(t, base+"/api/auth/register", "", `{"email":"traced@example.com","password":"password123","restaurantName":"Traced Grill"}`)
			if code != 201 {
				t.Fatalf("register: %d %v", code, body)
			}
			// A provider call.
			if code, body := post(t, base+"/api/facebook-ads/generate-preview", body["token"].(string),
				`{"restaurantName":"Traced Grill","itemToPromote":"Tacos","offer":"Two for one"}`); code != 200 {
				t.Fatalf("preview: %d %v", code, body)
			}
			if code := stop(); code != 0 {
				t.Fatalf("exit %d:\n%s", code, watch.String())
			}
			logs := logLines(t, watch.String())

			dbSystem := map[string]string{"sqlite": "sqlite", "mongodb": "mongodb"}[engine]
			read := requestSpan(t, rcv, "GET /api/auth/me")
			if read.TraceID != givenTrace || read.ParentSpanID != givenParent {
				t.Errorf("traceparent not honoured: trace %s parent %s", read.TraceID, read.ParentSpanID)
			}
			if read.Service != "momentum" || read.Attrs["http.response.status_code"] != "200" || read.Attrs["http.route"] != "/api/auth/me" || read.StatusCode != "unset" {
				t.Errorf("read span: %+v", read)
			}
			readDB := dbSpans(t, rcv, read, dbSystem)
			if len(readDB) == 0 {
				t.Fatalf("no %s span under the read:\n%s", dbSystem, rcv.Trace(read.TraceID))
			}
			// On SQLite the account is read through the reader connection's snapshot: PRAGMA
			// data_version, then (on a first read) the SELECT in the same read transaction.
			readNames := map[string]bool{"SELECT": true, "PRAGMA": true,
				"find users": true, "find restaurants": true, "find sessions": true}
			for _, s := range readDB {
				if !readNames[s.Name] {
					t.Errorf("unexpected database span under the read: %q %v", s.Name, s.Attrs)
				}
			}

			write := requestSpan(t, rcv, "POST /api/auth/register")
			if write.ParentSpanID != "" || write.Attrs["http.response.status_code"] != "201" {
				t.Errorf("write span: %+v", write)
			}
			wroteUser := false
			for _, s := range dbSpans(t, rcv, write, dbSystem) {
				switch engine {
				case "sqlite":
					wroteUser = wroteUser || s.Name == "INSERT" && strings.Contains(s.Attrs["db.query.text"], "INSERT INTO users")
				case "mongodb":
					wroteUser = wroteUser || s.Name == "insert users" && s.Attrs["db.collection.name"] == "users" && s.Attrs["db.namespace"] == env["DATABASE_NAME"]
				}
			}
			if !wroteUser {
				t.Errorf("no span of the user's insert under the write:\n%s", rcv.Trace(write.TraceID))
			}

			preview := requestSpan(t, rcv, "POST /api/facebook-ads/generate-preview")
			host := strings.TrimPrefix(openai.URL, "http://")
			var call []otlptest.Span
			for _, s := range rcv.Trace(preview.TraceID).Children(preview) {
				if s.Kind == "client" && s.Name == "POST "+host {
					call = append(call, s)
				}
			}
			if len(call) != 1 || call[0].Attrs["http.response.status_code"] != "200" || call[0].Attrs["server.address"] != "127.0.0.1" {
				t.Errorf("OpenAI call under the preview: %+v\n%s", call, rcv.Trace(preview.TraceID))
			}

			// Every line logged for a traced request carries its trace and span ids.
			for _, span := range []otlptest.Span{read, write, preview} {
				n := 0
				for _, l := range logs {
					if l["trace_id"] == span.TraceID {
						n++
						if l["span_id"] != span.SpanID {
							t.Errorf("log line %v: span_id, want %s", l, span.SpanID)
						}
					}
				}
				if n == 0 {
					t.Errorf("no log line with the trace id of %s", span.Name)
				}
			}
			for _, l := range logs {
				if l["msg"] == "request" && l["trace_id"] == nil && l["path"] != "/healthz" && l["path"] != "/readyz" {
					t.Errorf("request logged without its trace id: %v", l)
				}
				if l["msg"] == "account registered" && l["trace_id"] != write.TraceID {
					t.Errorf("the service's own line lacks the trace id: %v", l)
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

// dbSpans are the database spans below the request span req.
func dbSpans(t *testing.T, rcv *otlptest.Receiver, req otlptest.Span, system string) []otlptest.Span {
	t.Helper()
	return rcv.DBSpans(t, req, system)
}

// TestNoTracingWhenDisabled points the exporter at a receiver but turns the SDK off, and sends a
// traceparent: nothing is exported and no log line carries a trace id. Without any OTEL_ variable
// the service does not even have an exporter (tracing.New returns nil; see its tests).
func TestNoTracingWhenDisabled(t *testing.T) {
	t.Parallel()
	rcv := otlptest.Start(t)
	base, watch, stop := runUntilStopped(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL, "OTEL_SDK_DISABLED": "true"})
	tok := login(t, base, "admin@momentum.com", "admin123")
	req, _ := http.NewRequest("GET", base+"/api/auth/me", nil)
	req.Header.Set("traceparent", "00-"+givenTrace+"-"+givenParent+"-01")
	if code, _ := do(t, req, tok); code != 200 {
		t.Fatalf("me: %d", code)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := rcv.Requests(); n != 0 {
		t.Errorf("%d exports with OTEL_SDK_DISABLED=true", n)
	}
	if logs := watch.String(); strings.Contains(logs, "trace_id") || strings.Contains(logs, "tracing:") {
		t.Errorf("tracing in the log:\n%s", logs)
	}
}
