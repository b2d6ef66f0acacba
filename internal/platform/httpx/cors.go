package httpx

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// CORSConfig says which browser origins may call the API.
type CORSConfig struct {
	// Origins allowed; "*" allows any origin (without credentials, as browsers require).
	Origins []string
	// Credentials sends Access-Control-Allow-Credentials: true for allowed, explicitly listed origins.
	Credentials bool
	// Methods for preflight answers; default GET,HEAD,PUT,PATCH,POST,DELETE.
	Methods []string
	// Headers allowed in preflight; empty echoes Access-Control-Request-Headers.
	Headers []string
	// ExposeHeaders lists response headers scripts may read.
	ExposeHeaders []string
	// MaxAge of a preflight answer in seconds (0: not sent).
	MaxAge int
}

// CORS answers preflight requests (any OPTIONS request, with 204) and adds the CORS headers to every
// response for allowed origins.
func CORS(cfg CORSConfig) Middleware {
	any := slices.Contains(cfg.Origins, "*")
	methods := "GET,HEAD,PUT,PATCH,POST,DELETE"
	if len(cfg.Methods) > 0 {
		methods = strings.Join(cfg.Methods, ",")
	}
	headers := strings.Join(cfg.Headers, ",")
	expose := strings.Join(cfg.ExposeHeaders, ",")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			origin := r.Header.Get("Origin")
			switch {
			case any:
				h.Set("Access-Control-Allow-Origin", "*")
			case origin != "" && slices.Contains(cfg.Origins, origin):
				h.Set("Access-Control-Allow-Origin", origin)
				h.Add("Vary", "Origin")
				if cfg.Credentials {
					h.Set("Access-Control-Allow-Credentials", "true")
				}
			default:
				h.Add("Vary", "Origin")
			}
			if expose != "" {
				h.Set("Access-Control-Expose-Headers", expose)
			}
			if r.Method != http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			h.Set("Access-Control-Allow-Methods", methods)
			if headers != "" {
				h.Set("Access-Control-Allow-Headers", headers)
			} else if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", req)
				h.Add("Vary", "Access-Control-Request-Headers")
			}
			if cfg.MaxAge > 0 {
				h.Set("Access-Control-Max-Age", strconv.Itoa(cfg.MaxAge))
			}
			h.Set("Content-Length", "0")
			w.WriteHeader(http.StatusNoContent)
		})
	}
}
