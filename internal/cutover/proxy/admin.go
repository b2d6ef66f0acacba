package proxy

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/cutover/route"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// AdminHandler serves the router's own endpoints: /healthz, /readyz (both backends' health),
// /metrics and GET /cutover/routes (the table in force).
func (rt *Router) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Healthz())
	mux.HandleFunc("GET /readyz", rt.readyz)
	mux.Handle("GET /metrics", rt.metricsHandler)
	mux.HandleFunc("GET /cutover/routes", rt.routes)
	return mux
}

type instanceHealth struct {
	URL    string `json:"url"`
	Status string `json:"status"` // ok, "status 503", unreachable
}

type sideHealth struct {
	// Required sides answer clients under the table in force; a side that only receives shadow
	// copies (or nothing) is reported but does not make the router unready.
	Required  bool             `json:"required"`
	Up        int              `json:"up"`
	Instances []instanceHealth `json:"instances"`
}

// readyz probes every instance of both sides (GET its health path, 2 s). The router is ready when
// each side that can answer clients has at least one healthy instance.
func (rt *Router) readyz(w http.ResponseWriter, r *http.Request) {
	t := rt.table.Load()
	required := t.cfg.Sides()
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	out := map[string]*sideHealth{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, s := range t.sides {
		sh := &sideHealth{Required: required[name], Instances: make([]instanceHealth, len(s.instances))}
		out[string(name)] = sh
		for i, inst := range s.instances {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status := rt.probe(ctx, inst.url.String(), s.health)
				mu.Lock()
				sh.Instances[i] = instanceHealth{URL: inst.url.String(), Status: status}
				if status == "ok" {
					sh.Up++
				}
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	ready := true
	for _, sh := range out {
		if sh.Required && sh.Up == 0 {
			ready = false
		}
	}
	code, status := http.StatusOK, "ready"
	if !ready {
		code, status = http.StatusServiceUnavailable, "unavailable"
		rt.log.Warn("readiness check failed: a backend that answers clients has no healthy instance")
	}
	httpx.WriteJSON(w, code, map[string]any{"status": status, "backends": out})
}

func (rt *Router) probe(ctx context.Context, base, path string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+path, nil)
	if err != nil {
		return "bad url"
	}
	req.Header.Set("User-Agent", "cutover-readyz")
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return "unreachable"
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "status " + strconv.Itoa(resp.StatusCode)
	}
	return "ok"
}

type ruleView struct {
	Index          int      `json:"index"`
	Name           string   `json:"name"`
	Match          string   `json:"match,omitempty"`
	Claim          string   `json:"claim,omitempty"`
	Target         string   `json:"target"`
	SideEffectFree bool     `json:"side_effect_free,omitempty"`
	RetryAfter     string   `json:"retry_after,omitempty"`
	Note           string   `json:"note,omitempty"`
	LearnedNoise   []string `json:"learned_noise,omitempty"`
}

// routes shows the table in force, as the router reads it: rules in order, then the default.
func (rt *Router) routes(w http.ResponseWriter, r *http.Request) {
	t := rt.table.Load()
	c := t.cfg
	rules := make([]ruleView, 0, len(c.Rules)+1)
	for _, ru := range c.Rules {
		v := ruleView{Index: ru.Index, Name: ru.Name, Match: ru.Pattern.String(), Claim: ru.Claim, Target: ru.Target.String(),
			SideEffectFree: ru.SideEffectFree, Note: ru.Note}
		if ru.Target.Kind == route.KindHold {
			v.RetryAfter = ru.RetryAfter.String()
		}
		v.LearnedNoise = rt.Learned(ru.Name)
		rules = append(rules, v)
	}
	rules = append(rules, ruleView{Name: c.Default.Name, Target: c.Default.Target.String(), LearnedNoise: rt.Learned(c.Default.Name)})
	backends := map[string]any{}
	for name, s := range t.sides {
		urls := make([]string, len(s.instances))
		for i, inst := range s.instances {
			urls[i] = inst.url.String()
		}
		backends[string(name)] = map[string]any{"urls": urls, "health": s.health}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"service": c.Service, "source": c.Source, "sha256": c.SHA256, "loaded_at": t.loaded.UTC().Format(time.RFC3339),
		"paths":    map[string]bool{"case_insensitive": c.Paths.CaseInsensitive, "trailing_slash": c.Paths.TrailingSlash},
		"backends": backends, "rules": rules,
	})
}

// maxTokenBytes bounds the token the split key is read from.
const maxTokenBytes = 8 << 10

// tokenClaim reads the first of claims from a bearer token's payload, unverified. The scheme word is
// not checked (Momentum's legacy server took any word before the token).
func tokenClaim(authz string, claims []string) (string, bool) {
	_, tok, ok := strings.Cut(strings.TrimSpace(authz), " ")
	if !ok || len(tok) > maxTokenBytes {
		return "", false
	}
	parts := strings.Split(strings.TrimSpace(tok), ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return "", false
	}
	for _, c := range claims {
		switch v := m[c].(type) {
		case string:
			if v != "" {
				return v, true
			}
		case json.Number:
			return v.String(), true
		}
	}
	return "", false
}
