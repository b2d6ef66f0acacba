package httpx

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// Bounds of the drain of an unread request body (see DrainBody).
const (
	DefaultDrainBytes = 8 << 20
	DefaultDrainTime  = 5 * time.Second
)

// DrainConfig bounds how much of an unread request body DrainBody reads, and for how long.
type DrainConfig struct {
	MaxBytes int64         // default DefaultDrainBytes
	MaxTime  time.Duration // default DefaultDrainTime
}

// DrainBody makes an early answer (a 413 for an oversized body, a 401 on an upload without a token)
// reach a client that writes its whole body before it reads. Go's server reads at most 256 kB of what
// a handler left unread and then closes the connection; a client still writing gets a connection reset
// and never sees the answer. Like NGINX's lingering close, DrainBody sends the answer, then reads and
// discards the rest of the body, at most cfg.MaxBytes and for at most cfg.MaxTime, before the server
// closes. A body declared longer than the bound is not drained at all: the client would be reset anyway.
func DrainBody(cfg DrainConfig) Middleware {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultDrainBytes
	}
	if cfg.MaxTime <= 0 {
		cfg.MaxTime = DefaultDrainTime
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ProtoMajor != 1 || r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
				next.ServeHTTP(w, r)
				return
			}
			body := &countingBody{src: r.Body}
			r.Body = body
			next.ServeHTTP(w, r)
			// The server inspects the body it made when it writes the answer; give it back.
			r.Body = body.src
			if body.eof {
				return
			}
			if r.ContentLength > 0 && r.ContentLength-body.n > cfg.MaxBytes {
				return
			}
			// A client that asked "Expect: 100-continue" and got its answer instead has sent nothing.
			if body.n == 0 && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
				return
			}
			rc := http.NewResponseController(w)
			_ = rc.EnableFullDuplex() // keep the server from its own 256 kB read before the answer
			_ = rc.Flush()
			_ = rc.SetReadDeadline(time.Now().Add(cfg.MaxTime))
			_, _ = io.CopyN(io.Discard, body.src, cfg.MaxBytes)
		})
	}
}

// countingBody records how far the handler read. Close is left to the server, which closes the
// original body itself after the handler returns, so the drain can still read it.
type countingBody struct {
	src io.ReadCloser
	n   int64
	eof bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.src.Read(p)
	b.n += int64(n)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *countingBody) Close() error { return nil }
