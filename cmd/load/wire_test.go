package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawServer answers every request with answer(n) (n counts the requests of the whole server), written
// as is; closeAfter says whether the connection is closed after it. conns counts the connections.
type rawServer struct {
	url   string
	conns atomic.Int64
	reqs  atomic.Int64
}

func newRawServer(t *testing.T, answer func(n int64) (resp string, closeAfter bool)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{url: "http://" + ln.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					resp, closeAfter := answer(s.reqs.Add(1))
					if _, err := io.WriteString(c, resp); err != nil || closeAfter {
						return
					}
				}
			})
		}
	})
	return s
}

func driveN(t *testing.T, method, url string, n int64, timeout time.Duration) *result {
	t.Helper()
	return drive(context.Background(), &http.Client{Timeout: timeout},
		phase{Method: method, URL: url, Concurrency: 1, Duration: time.Hour, MaxRequests: n})
}

// Every way an answer can end leaves the connection ready for the next request, or closes it when
// the answer says so, without an error.
func TestWireFramings(t *testing.T) {
	const n = 20
	for _, tt := range []struct {
		name       string
		resp       string
		closeAfter bool
		conns      int64 // the connections n requests take
		statuses   map[int]uint64
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\nhello", false, 1, nil},
		{"lower-case content-length", "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", false, 1, nil},
		{"chunked with extensions and trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-A\r\n\r\n" +
			"5;name=value\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", false, 1, nil},
		{"chunked, upper case", "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", false, 1, nil},
		{"ETag and keep-alive headers, as Express sends them", "HTTP/1.1 200 OK\r\nX-Powered-By: Express\r\nContent-Type: application/json; charset=utf-8\r\n" +
			"Content-Length: 2\r\nETag: W/\"2-vyGp6PvFo4RvsFtPoIWeCReyIC8\"\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n{}", false, 1, nil},
		{"close-delimited", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true, n, nil},
		{"Connection: close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", true, n, nil},
		{"Connection: close among other tokens", "HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 2\r\n\r\n{}", true, n, nil},
		{"HTTP/1.0 closes by default", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", true, n, nil},
		{"HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}", false, 1, nil},
		{"204 has no body", "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n", false, 1, nil},
		{"304 has no body", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", false, 1, map[int]uint64{304: n}},
		{"interim 103 and 100 before the answer", "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n" +
			"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}", false, 1, nil},
		{"bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}", false, 1, nil},
		{"folded header", "HTTP/1.1 200 OK\r\nX-Long: a\r\n b\r\nContent-Length: 2\r\n\r\n{}", false, 1, nil},
		{"non-2xx by status", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", false, 1, map[int]uint64{404: n}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newRawServer(t, func(int64) (string, bool) { return tt.resp, tt.closeAfter })
			r := driveN(t, "GET", s.url+"/x", n, 10*time.Second)
			if r.Requests != n || r.Errors != 0 {
				t.Fatalf("requests %d errors %d (%s), want %d and 0", r.Requests, r.Errors, r.FirstErr, n)
			}
			if got := s.conns.Load(); got != tt.conns {
				t.Errorf("%d connections, want %d", got, tt.conns)
			}
			var non2xx uint64
			for _, c := range tt.statuses {
				non2xx += c
			}
			if r.Non2xx != non2xx || len(r.Statuses) != len(tt.statuses) {
				t.Errorf("non-2xx %d %v, want %v", r.Non2xx, r.Statuses, tt.statuses)
			}
			for code, c := range tt.statuses {
				if r.Statuses[code] != c {
					t.Errorf("statuses %v, want %v", r.Statuses, tt.statuses)
				}
			}
			if r.Hist.n != n {
				t.Errorf("%d latencies recorded", r.Hist.n)
			}
		})
	}
}

// The same against net/http's own server: chunked answers it streams with a trailer, Connection:
// close, 204 and statuses counted one by one.
func TestWireAgainstNetHTTPServer(t *testing.T) {
	var conns atomic.Int64
	var hits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		io.WriteString(w, `{"part":1,`)
		w.(http.Flusher).Flush()
		io.WriteString(w, strings.Repeat(" ", 10000)+`"part":2}`)
		w.Header().Set("X-Sum", "2")
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, `{}`)
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/mixed", func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) % 4 {
		case 1:
			w.WriteHeader(http.StatusNotFound)
		case 2:
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"x"}`)
		default:
			io.WriteString(w, `{}`)
		}
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		path                 string
		conns                int64
		non2xx               uint64
		status404, status500 uint64
	}{
		{"/chunked", 1, 0, 0, 0},
		{"/close", 40, 0, 0, 0},
		{"/empty", 1, 0, 0, 0},
		{"/mixed", 1, 20, 10, 10},
	} {
		conns.Store(0)
		r := driveN(t, "GET", srv.URL+tt.path, 40, 10*time.Second)
		if r.Requests != 40 || r.Errors != 0 || r.Non2xx != tt.non2xx || r.Statuses[404] != tt.status404 || r.Statuses[500] != tt.status500 {
			t.Errorf("%s: requests %d errors %d (%s) non-2xx %d %v", tt.path, r.Requests, r.Errors, r.FirstErr, r.Non2xx, r.Statuses)
		}
		if got := conns.Load(); got != tt.conns {
			t.Errorf("%s: %d connections, want %d", tt.path, got, tt.conns)
		}
	}
}

// A server may close a kept-alive connection between two requests. An idempotent request is then
// sent again on a new connection, with no error; a POST is not sent twice: its failure counts as an
// error, and the next request dials anew and succeeds.
func TestWireServerClosesAKeptAliveConnection(t *testing.T) {
	s := newRawServer(t, func(int64) (string, bool) { return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", true })
	r := driveN(t, "GET", s.url+"/", 20, 10*time.Second)
	if r.Requests != 20 || r.Errors != 0 || s.conns.Load() != 20 {
		t.Errorf("GET: requests %d errors %d (%s) connections %d, want 20, 0, 20", r.Requests, r.Errors, r.FirstErr, s.conns.Load())
	}

	s = newRawServer(t, func(int64) (string, bool) { return "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}", true })
	var seq atomic.Uint64
	r = drive(context.Background(), &http.Client{Timeout: 10 * time.Second}, phase{Method: "POST", URL: s.url + "/leads",
		Body: `{"n":"{seq}"}`, Templated: true, Seq: &seq, Concurrency: 1, Duration: time.Hour, MaxRequests: 20})
	if r.Requests != 10 || r.Errors != 10 || s.reqs.Load() != 10 {
		t.Errorf("POST: requests %d errors %d, server saw %d, want 10, 10, 10", r.Requests, r.Errors, s.reqs.Load())
	}
}

// A malformed or oversized answer is a transport error; the connection is dropped and the next
// request dials a new one.
func TestWireMalformedAnswers(t *testing.T) {
	good := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
	for _, bad := range []string{
		"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}",
		"HTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + strings.Repeat("0", 5000) + "2\r\n{}\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Header\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("x", maxHead) + "\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\n",
	} {
		s := newRawServer(t, func(n int64) (string, bool) {
			if n == 1 {
				return bad, true
			}
			return good, false
		})
		r := driveN(t, "GET", s.url+"/", 5, 10*time.Second)
		if r.Requests != 4 || r.Errors != 1 || s.conns.Load() != 2 || !strings.HasPrefix(r.FirstErr, "GET "+s.url+"/: ") {
			t.Errorf("%.60q: requests %d errors %d (%s) connections %d, want 4, 1, 2", bad, r.Requests, r.Errors, r.FirstErr, s.conns.Load())
		}
	}
}

// The server receives from this client the bytes net/http's client sends, templated or not.
func TestWireSendsWhatNetHTTPSends(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan []byte, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var raw bytes.Buffer
				br := bufio.NewReader(io.TeeReader(c, &raw))
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					sent := append([]byte(nil), raw.Next(raw.Len()-br.Buffered())...)
					io.WriteString(c, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}")
					got <- sent
				}
			}()
		}
	}()
	base := "http://" + ln.Addr().String()
	vars := map[string][]string{"leadId": {"l-1", "l-2"}}
	netClient := &http.Client{Transport: newTransport(1, time.Minute), Timeout: time.Minute}
	t.Cleanup(netClient.CloseIdleConnections)
	for _, p := range []phase{
		{Method: "POST", URL: base + "/api/v1/leads?x={seq}", Token: "tok-1", Templated: true, Tag: "t",
			Body: `{"email":"u-{seq}@example.com","firstName":"Ada"}`},
		{Method: "PUT", URL: base + "/api/v1/leads/{leadId}", Token: "tok-1", Templated: true, Vars: vars, Body: `{"status":"contacted"}`},
		{Method: "PUT", URL: base + "/api/dashboard/checklist/{leadId}", Templated: true, Vars: vars},
		{Method: "GET", URL: base + "/api/v1/auth/me", Token: "tok-1"},
		{Method: "GET", URL: base + "/api/v1/leads?page=1&limit=20"},
	} {
		// net/http's client, as loopHTTP sends it.
		p.Seq = new(atomic.Uint64)
		var req *http.Request
		if p.Templated {
			if req, err = p.request(context.Background()); err != nil {
				t.Fatal(err)
			}
		} else {
			req, _ = http.NewRequest(p.Method, p.URL, nil)
			req.Header.Set("Accept", "application/json")
			if p.Token != "" {
				req.Header.Set("Authorization", "Bearer "+p.Token)
			}
		}
		resp, err := netClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		want := <-got

		// This client, through drive, twice: the second request reuses the connection.
		p.Seq = new(atomic.Uint64)
		p.Concurrency, p.Duration, p.MaxRequests = 1, time.Hour, 2
		done := make(chan *result)
		go func() { done <- drive(context.Background(), netClient, p) }()
		first, second := <-got, <-got
		if r := <-done; r.Requests != 2 || r.Errors != 0 {
			t.Fatalf("%s %s: requests %d errors %d (%s)", p.Method, p.URL, r.Requests, r.Errors, r.FirstErr)
		}
		if !bytes.Equal(first, want) {
			t.Errorf("%s %s: sent\n%q\nnet/http sends\n%q", p.Method, p.URL, first, want)
		}
		if p.Templated && bytes.Equal(second, first) && strings.Contains(p.URL+p.Body, "{seq}") {
			t.Errorf("%s %s: {seq} is the same in two requests: %q", p.Method, p.URL, second)
		}
		if !p.Templated && !bytes.Equal(second, first) {
			t.Errorf("%s %s: second request %q differs from the first", p.Method, p.URL, second)
		}
	}
}

// Cancelling the run returns a request blocked on a server that does not answer.
func TestWireCancelStopsTheLoop(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *result)
	go func() {
		done <- drive(ctx, &http.Client{Timeout: time.Hour}, phase{Method: "GET", URL: srv.URL, Concurrency: 2, Duration: time.Hour})
	}()
	<-arrived
	<-arrived
	cancel()
	if r := <-done; r.Requests != 0 {
		t.Errorf("%d requests answered", r.Requests)
	}
}

// -timeout bounds each request.
func TestWireTimeout(t *testing.T) {
	s := newRawServer(t, func(int64) (string, bool) { return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", false }) // one byte short
	r := driveN(t, "GET", s.url+"/", 1, 20*time.Millisecond)
	if r.Errors != 1 || r.Requests != 0 || !strings.Contains(r.FirstErr, "timeout") {
		t.Errorf("requests %d errors %d (%s)", r.Requests, r.Errors, r.FirstErr)
	}
}

// https:// stays on net/http's client.
func TestWireLeavesHTTPSToNetHTTP(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes cut short by Close
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r := drive(context.Background(), srv.Client(), phase{Method: "GET", URL: srv.URL + "/", Concurrency: 2, Duration: time.Hour, MaxRequests: 10})
	if r.Requests != 10 || r.Errors != 0 {
		t.Errorf("requests %d errors %d (%s)", r.Requests, r.Errors, r.FirstErr)
	}
}

// FuzzReadResponse holds readResponse to net/http's http.ReadResponse (and reading the whole body) on
// any bytes: it never panics, it accepts what net/http accepts and rejects what it rejects (save
// heads beyond maxHead), and then agrees on the status, the body's length, the bytes the answer took
// (what the next answer on the connection starts after) and whether the connection must close.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length:  6\r\n\r\nhello!",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-A\r\n\r\n5;a=b\r\nhello\r\n0\r\nX-A: 1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n\nX\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab",
		"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end",
		"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
		"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		"HTTP/1.1 200 OK\nContent-Length: 1\n\nx",
		"HTTP/1.1  200\r\nX-A: a\r\n b\r\n\tc\r\nContent-Length:\r\n 1\r\n\r\nx",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\n \r\n\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nab",
		"HTTP/1.1 +20 OK\r\nContent-Length: 0\r\n\r\n",
		"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
		"HTTP/0.9 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\n Folded: first\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: \x7f\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\r\n",
		"HTTP/1.1 200",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := bytes.NewReader(data)
		br := bufio.NewReaderSize(src, maxHead)
		got, _, err := readResponse(br, maxHead)
		gotTaken := len(data) - src.Len() - br.Buffered()

		wsrc := bytes.NewReader(data)
		wbr := bufio.NewReader(wsrc)
		resp, werr := http.ReadResponse(wbr, &http.Request{Method: "GET"})
		var wantLen int64
		if werr == nil {
			wantLen, werr = io.Copy(io.Discard, resp.Body)
		}
		wantTaken := len(data) - wsrc.Len() - wbr.Buffered()

		if errors.Is(err, errHeadTooLarge) {
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: readResponse: %v; net/http: %v", data, err, werr)
		}
		if err != nil {
			return
		}
		if got.status != resp.StatusCode || got.bodyLen != wantLen || gotTaken != wantTaken || got.close != resp.Close {
			t.Fatalf("%q: status %d body %d took %d close %v; net/http: %d %d %d %v",
				data, got.status, got.bodyLen, gotTaken, got.close, resp.StatusCode, wantLen, wantTaken, resp.Close)
		}
	})
}

// A side's connections outlive a phase: the next phase (the measured one after its warm-up) runs on
// them. One the server closed while it waited is dropped, and the next phase dials without an error,
// even for a POST that is never sent twice.
func TestWirePoolKeepsConnectionsBetweenPhases(t *testing.T) {
	s := newRawServer(t, func(int64) (string, bool) { return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false })
	var pool wirePool
	t.Cleanup(pool.close)
	for range 3 {
		r := drive(context.Background(), &http.Client{}, phase{Method: "GET", URL: s.url + "/", Concurrency: 2, Duration: time.Hour, MaxRequests: 10, Conns: &pool})
		if r.Requests != 10 || r.Errors != 0 {
			t.Fatalf("requests %d errors %d (%s)", r.Requests, r.Errors, r.FirstErr)
		}
	}
	if got := s.conns.Load(); got != 2 {
		t.Errorf("%d connections for three phases of 2 workers, want 2", got)
	}

	closed := newRawServer(t, func(int64) (string, bool) { return "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}", true })
	var seq atomic.Uint64
	var kept wirePool
	t.Cleanup(kept.close)
	post := phase{Method: "POST", URL: closed.url + "/leads", Body: `{"n":"{seq}"}`, Templated: true, Seq: &seq,
		Concurrency: 1, Duration: time.Hour, MaxRequests: 1, Conns: &kept}
	for i := range 3 {
		if i > 0 {
			<-kept.idle[0].watching // the kept connection has seen the server close it
		}
		if r := drive(context.Background(), &http.Client{}, post); r.Requests != 1 || r.Errors != 0 {
			t.Fatalf("phase %d: requests %d errors %d (%s)", i, r.Requests, r.Errors, r.FirstErr)
		}
	}
	if got := closed.conns.Load(); got != 3 {
		t.Errorf("%d connections, want 3", got)
	}
}
