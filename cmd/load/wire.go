package main

// The measured loop's own HTTP/1.1 client, on a net.Conn, as wrk does it. net/http's client cost the
// load tool ~43 µs of CPU per request on the 2-core development VM (user+sys over the requests of a
// run, `/usr/bin/time`), as much as the Cohortly server it measured (~54 µs): with both on two cores,
// the tool took half the machine and halved the throughput any server could show, and it distorted
// side-by-side comparisons. Most of that was the Transport's machinery around a request (a read and a
// write goroutine per connection and the hand-offs between them, a Request clone, a Response and its
// header maps per answer), in user time. This client is one goroutine per connection, writes request
// bytes built once (or once per request for a templated phase), parses the answer in its read buffer
// and discards the body, allocating nothing per request on the non-templated path: ~20 µs per request
// on the same VM, nearly all of it system time that any client on Go's netpoller pays (a write, and a
// read that finds nothing yet before the one that gets the answer).
//
// The answer is read as net/http's ReadResponse reads it (FuzzReadResponse holds the two to the same
// status, body length, framing and keep-alive decision), and interim 1xx answers are skipped as its
// Transport skips them. Only plain http:// goes through it; https:// stays on net/http.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"
)

const (
	// maxHead bounds the status line and headers of an answer, interim 1xx answers included (net/http's
	// Transport allows 10 MiB; no server measured here comes near 64 KiB). It is also the read buffer.
	maxHead = 64 << 10
	// maxChunkLine bounds a chunk-size line with its CRLF, and maxTrailerPeek the distance at which a
	// trailer's terminating blank line must be seen: net/http's limits with its 4 KiB read buffer.
	maxChunkLine   = 4096
	maxTrailerPeek = 4096
)

var (
	errHeadTooLarge = fmt.Errorf("answer's header larger than %d bytes", maxHead)
	errMalformed    = errors.New("malformed HTTP response")
)

// wireRequest is one request's bytes and where they go.
type wireRequest struct {
	method     string
	url        string // as given, for error messages
	addr       string // host:port to dial
	data       []byte
	idempotent bool
}

// build renders the request as net/http's client writes it (same header lines, same order), reusing
// r.data's storage. With json, body (which may have expanded to nothing) goes with a Content-Type;
// POST, PUT and PATCH always carry a Content-Length, as net/http sends them.
func (r *wireRequest) build(method, rawURL, token, body string, json bool) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if u.Scheme != "http" {
		return fmt.Errorf("%s: unsupported protocol scheme %q", rawURL, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%s: no host in the URL", rawURL)
	}
	if !isToken(method) {
		return fmt.Errorf("invalid method %q", method)
	}
	ruri := u.RequestURI()
	auth := ""
	if token != "" {
		auth = trimRightOWS("Bearer " + token) // net/http trims what it writes
	}
	if !validValue(u.Host) || !validValue(ruri) || !validValue(auth) {
		return fmt.Errorf("%s: control character in the request", rawURL)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	r.method, r.url, r.addr = method, rawURL, net.JoinHostPort(u.Hostname(), port)
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		r.idempotent = true
	default:
		r.idempotent = false
	}
	b := append(r.data[:0], method...)
	b = append(b, ' ')
	b = append(b, ruri...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, u.Host...)
	b = append(b, "\r\nUser-Agent: Go-http-client/1.1\r\n"...)
	if body != "" || method == "POST" || method == "PUT" || method == "PATCH" {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "Accept: application/json\r\n"...)
	if auth != "" {
		b = append(b, "Authorization: "...)
		b = append(b, auth...)
		b = append(b, "\r\n"...)
	}
	if json {
		b = append(b, "Content-Type: application/json\r\n"...)
	}
	b = append(b, "\r\n"...)
	r.data = append(b, body...)
	return nil
}

// wireRequest builds the next request of a templated phase into r, as request does for net/http.
func (p phase) wireRequest(r *wireRequest) error {
	n := p.Seq.Add(1)
	var body string
	if p.Body != "" {
		body = expand(p.Body, p.Vars, p.Tag, n)
	}
	return r.build(p.Method, expand(p.URL, p.Vars, p.Tag, n), p.Token, body, p.Body != "")
}

// wireConn is one worker's kept-alive connection.
type wireConn struct {
	timeout time.Duration // of one request, retry included; 0: none
	conn    net.Conn
	addr    string
	br      *bufio.Reader
	reused  bool        // conn has carried a whole exchange
	stop    func() bool // unregisters the cancellation of conn
	// While the connection waits in a pool, a read watches for the server closing it.
	watching chan struct{} // closed when the read has returned
	watchErr error
}

func (c *wireConn) close() {
	if c.conn == nil {
		return
	}
	c.stop()
	c.conn.Close()
	c.conn, c.reused = nil, false
}

// wirePool keeps a side's connections from one phase to the next, as net/http's Transport kept its
// idle connections: the measured phase runs on the connections its warm-up opened, so no dial (which
// takes up to a second or two on the legacy Node servers under load) lands in its latencies.
type wirePool struct {
	mu   sync.Mutex
	idle []*wireConn
}

// get returns a kept connection still open, or a new wireConn that dials on its first request.
func (p *wirePool) get(ctx context.Context, timeout time.Duration) *wireConn {
	for {
		p.mu.Lock()
		var c *wireConn
		if n := len(p.idle); n > 0 {
			c, p.idle = p.idle[n-1], p.idle[:n-1]
		}
		p.mu.Unlock()
		if c == nil {
			return &wireConn{timeout: timeout}
		}
		c.timeout = timeout
		if c.wake() && c.stop() {
			c.stop = context.AfterFunc(ctx, cancelConn(c.conn))
			return c
		}
		c.close()
	}
}

// put keeps c for the next phase, watching it meanwhile.
func (p *wirePool) put(c *wireConn) {
	if c.conn == nil {
		return
	}
	c.watching = make(chan struct{})
	go func() {
		defer close(c.watching)
		_, c.watchErr = c.br.Peek(1) // the server's close, unsolicited bytes, or wake
	}()
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// wake ends the watch, reporting whether the connection can carry another request: neither closed by
// the server nor holding bytes it never asked for.
func (c *wireConn) wake() bool {
	c.conn.SetReadDeadline(time.Unix(1, 0))
	<-c.watching
	return isTimeout(c.watchErr) && c.br.Buffered() == 0
}

func (p *wirePool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
		<-c.watching
	}
}

// cancelConn makes a request blocked in Read or Write when the run is cancelled return at once.
func cancelConn(conn net.Conn) func() {
	return func() { conn.SetDeadline(time.Unix(1, 0)) }
}

// do sends r and reads its answer, returning the final status. The server may close a kept-alive
// connection between two requests (an idle timeout, a restart): net/http notices that in its
// background reader before it reuses the connection, this client only when it uses it. So when the
// answer on a reused connection fails before its first byte, r is sent once more on a new connection,
// without counting an error, if its method is idempotent (RFC 9112 9.3.1; net/http retries only GET,
// HEAD, OPTIONS and TRACE, but its background reader spares it the others' case). A POST or PATCH is
// not sent twice: that failure is counted as an error and the next request dials anew.
func (c *wireConn) do(ctx context.Context, r *wireRequest) (int, error) {
	var deadline time.Time
	if c.timeout > 0 {
		deadline = time.Now().Add(c.timeout)
	}
	status, retry, err := c.try(ctx, r, deadline)
	if retry && r.idempotent {
		status, _, err = c.try(ctx, r, deadline)
	}
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", r.method, r.url, err)
	}
	return status, nil
}

// try is one attempt; retry says the connection was reused and nothing of the answer arrived.
func (c *wireConn) try(ctx context.Context, r *wireRequest, deadline time.Time) (status int, retry bool, err error) {
	if c.conn != nil && c.addr != r.addr {
		c.close()
	}
	if c.conn == nil {
		if err := c.dial(ctx, r.addr, deadline); err != nil {
			return 0, false, err
		}
	}
	reused := c.reused
	if err := c.conn.SetDeadline(deadline); err != nil {
		c.close()
		return 0, false, err
	}
	// Checked after the deadline is set: a cancellation from here on moves the deadline to the past.
	if err := ctx.Err(); err != nil {
		c.close()
		return 0, false, err
	}
	if _, err := c.conn.Write(r.data); err != nil {
		c.close()
		return 0, reused && !isTimeout(err), fmt.Errorf("writing the request: %w", err)
	}
	if _, err := c.br.Peek(1); err != nil {
		c.close()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return 0, false, ctxErr
		}
		return 0, reused && !isTimeout(err), fmt.Errorf("reading the answer: %w", err)
	}
	budget := maxHead
	for {
		a, used, err := readResponse(c.br, budget)
		if err != nil {
			c.close()
			if ctxErr := ctx.Err(); ctxErr != nil {
				return 0, false, ctxErr
			}
			return 0, false, fmt.Errorf("reading the answer: %w", err)
		}
		budget -= used
		if a.status >= 100 && a.status <= 199 && a.status != 101 {
			continue // interim (100 Continue, 103 Early Hints): the answer follows
		}
		// After 101 the connection speaks another protocol; bytes the server sent beyond the answer
		// were not asked for (net/http drops such a connection too).
		if a.close || a.status == 101 || c.br.Buffered() > 0 {
			c.close()
		} else {
			c.reused = true
		}
		return a.status, false, nil
	}
}

func (c *wireConn) dial(ctx context.Context, addr string, deadline time.Time) error {
	d := net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	c.conn, c.addr, c.reused = conn, addr, false
	c.stop = context.AfterFunc(ctx, cancelConn(conn))
	if c.br == nil {
		c.br = bufio.NewReaderSize(conn, maxHead)
	} else {
		c.br.Reset(conn)
	}
	return nil
}

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// answer is what the measured loop keeps of a response.
type answer struct {
	status  int
	bodyLen int64
	close   bool // the connection cannot carry another exchange
}

// readResponse reads one response (an interim 1xx one too) from br, whose buffer must hold maxHead
// bytes, and discards its body; used is the size of its head, at most limit.
func readResponse(br *bufio.Reader, limit int) (a answer, used int, err error) {
	headBytes, err := peekHead(br, limit)
	if err != nil {
		return a, 0, err
	}
	h, err := parseHead(headBytes)
	if err != nil {
		return a, 0, err
	}
	used = len(headBytes)
	br.Discard(used) // buffered: cannot fail
	a.status, a.close = h.status, h.close
	switch {
	case !bodyAllowed(h.status):
	case h.chunked:
		a.bodyLen, err = discardChunked(br)
	case h.length >= 0:
		var n int
		n, err = br.Discard(int(h.length))
		a.bodyLen = int64(n)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	default: // delimited by the end of the connection
		a.close = true
		for {
			n, derr := br.Discard(br.Size())
			a.bodyLen += int64(n)
			if derr != nil {
				if derr != io.EOF {
					err = derr
				}
				break
			}
		}
	}
	if err != nil {
		return a, used, fmt.Errorf("reading the body: %w", err)
	}
	return a, used, nil
}

func bodyAllowed(status int) bool {
	return !(status >= 100 && status <= 199 || status == 204 || status == 304)
}

// peekHead returns the status line and the header fields up to and including the blank line that
// ends them, still in br's buffer. Lines end with LF, optionally preceded by CR.
func peekHead(br *bufio.Reader, limit int) ([]byte, error) {
	scanned := 0 // the start of the first line not yet seen whole
	first := true
	for {
		buf, _ := br.Peek(br.Buffered())
		if len(buf) > limit {
			buf = buf[:limit]
		}
		for {
			i := bytes.IndexByte(buf[scanned:], '\n')
			if i < 0 {
				break
			}
			line := buf[scanned : scanned+i]
			scanned += i + 1
			if !first && (len(line) == 0 || len(line) == 1 && line[0] == '\r') {
				return buf[:scanned], nil
			}
			first = false
		}
		if len(buf) >= limit {
			return nil, errHeadTooLarge
		}
		if _, err := br.Peek(len(buf) + 1); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// head is what framing and keep-alive need of a response's head.
type head struct {
	status  int
	chunked bool
	length  int64 // of the body: -1 when neither Content-Length nor chunked says it
	close   bool
}

// parseHead reads a head as net/http's ReadResponse does, accepting and rejecting what it does: the
// status line, fields with obs-fold continuations, the Content-Length, Transfer-Encoding, Connection
// and Trailer rules.
func parseHead(b []byte) (head, error) {
	var h head
	line, b := nextLine(b)
	major, minor, err := parseStatusLine(line, &h)
	if err != nil {
		return h, err
	}
	if len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		return h, fmt.Errorf("%w: header starts with a continuation line", errMalformed)
	}
	var (
		te, cl        int
		teValue, clV  []byte
		closeToken    bool
		keepAlive     bool
		badTrailerKey bool
	)
	for {
		line, b = nextLine(b)
		if len(line) == 0 {
			break // the blank line
		}
		// The field's continuation lines (obs-fold) join it, each with one space.
		folded := false
		var joined []byte
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			var cont []byte
			cont, b = nextLine(b)
			if !validValue(cont) {
				return h, fmt.Errorf("%w: invalid byte in a header field", errMalformed)
			}
			if !folded {
				joined = append(joined, trimOWS(line)...)
				folded = true
			}
			joined = append(joined, ' ')
			joined = append(joined, trimOWS(cont)...)
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return h, fmt.Errorf("%w: header line without a colon", errMalformed)
		}
		key := line[:colon]
		if len(key) == 0 {
			return h, fmt.Errorf("%w: empty header name", errMalformed)
		}
		spaced := false
		for _, c := range key {
			if c == ' ' {
				spaced = true // accepted by net/http, never one of the fields below
			} else if !isTokenByte(c) {
				return h, fmt.Errorf("%w: invalid byte in a header name", errMalformed)
			}
		}
		if !validValue(line[colon+1:]) {
			return h, fmt.Errorf("%w: invalid byte in a header field", errMalformed)
		}
		if spaced {
			continue
		}
		var value []byte
		if folded {
			value = trimLeftOWS(joined[bytes.IndexByte(joined, ':')+1:])
		} else {
			value = trimOWS(line[colon+1:])
		}
		switch {
		case asciiEqualFold(key, "Content-Length"):
			if cl == 0 {
				clV = trimSpace(value)
			} else if !bytes.Equal(clV, trimSpace(value)) {
				return h, fmt.Errorf("%w: differing Content-Length fields", errMalformed)
			}
			cl++
		case asciiEqualFold(key, "Transfer-Encoding"):
			te++
			teValue = value
		case asciiEqualFold(key, "Connection"):
			closeToken = closeToken || hasToken(value, "close")
			keepAlive = keepAlive || hasToken(value, "keep-alive")
		case asciiEqualFold(key, "Trailer"):
			badTrailerKey = badTrailerKey || hasTrailerKey(value)
		}
	}

	h.close = major < 1 || closeToken || major == 1 && minor == 0 && !keepAlive
	// Transfer-Encoding is ignored below HTTP/1.1; net/http reads 0.0 as 1.1 there.
	if te > 0 && (major == 0 && minor == 0 || major > 1 || major == 1 && minor >= 1) {
		if te != 1 || !asciiEqualFold(teValue, "chunked") {
			return h, fmt.Errorf("%w: unsupported Transfer-Encoding", errMalformed)
		}
		h.chunked = true
		if badTrailerKey {
			return h, fmt.Errorf("%w: forbidden Trailer field", errMalformed)
		}
	}
	h.length = -1
	if cl > 0 {
		n, ok := parseLength(clV)
		if !ok {
			return h, fmt.Errorf("%w: bad Content-Length %q", errMalformed, clV)
		}
		if !h.chunked {
			h.length = n
		}
	}
	if h.length < 0 && !h.chunked && bodyAllowed(h.status) {
		h.close = true
	}
	return h, nil
}

// parseStatusLine reads "HTTP/x.y nnn reason" with net/http's leniency: spaces before the code, any
// three bytes strconv.Atoi reads as a non-negative number, any reason.
func parseStatusLine(line []byte, h *head) (major, minor int, err error) {
	proto, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok {
		return 0, 0, fmt.Errorf("%w: status line %q", errMalformed, line)
	}
	rest = bytes.TrimLeft(rest, " ")
	code, _, _ := bytes.Cut(rest, []byte(" "))
	if len(code) != 3 {
		return 0, 0, fmt.Errorf("%w: status code %q", errMalformed, code)
	}
	if '0' <= code[0] && code[0] <= '9' && '0' <= code[1] && code[1] <= '9' && '0' <= code[2] && code[2] <= '9' {
		h.status = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	} else if h.status, err = strconv.Atoi(string(code)); err != nil || h.status < 0 {
		return 0, 0, fmt.Errorf("%w: status code %q", errMalformed, code)
	}
	switch {
	case string(proto) == "HTTP/1.1":
		return 1, 1, nil
	case string(proto) == "HTTP/1.0":
		return 1, 0, nil
	case len(proto) == 8 && string(proto[:5]) == "HTTP/" && proto[6] == '.' && isDigit(proto[5]) && isDigit(proto[7]):
		return int(proto[5] - '0'), int(proto[7] - '0'), nil
	}
	return 0, 0, fmt.Errorf("%w: version %q", errMalformed, proto)
}

// discardChunked reads a chunked body and its trailer as net/http does, returning the data's length.
func discardChunked(br *bufio.Reader) (int64, error) {
	var total, excess int64
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if err == bufio.ErrBufferFull {
				err = errors.New("chunk-size line too long")
			}
			return total, err
		}
		if len(line) > maxChunkLine {
			return total, errors.New("chunk-size line too long")
		}
		if len(line) < 2 || bytes.IndexByte(line, '\r') != len(line)-2 {
			return total, fmt.Errorf("%w: chunk-size line not ended by CRLF", errMalformed)
		}
		line = line[:len(line)-2]
		excess += int64(len(line)) + 2
		size, _, _ := bytes.Cut(trimRightOWS(line), []byte(";")) // extensions are ignored
		n, err := parseHex(size)
		if err != nil {
			return total, err
		}
		// net/http's guard against senders that bury little data in much framing.
		excess -= 16 + 2*int64(n)
		excess = max(excess, 0)
		if excess > 16<<10 {
			return total, fmt.Errorf("%w: chunked encoding contains too much non-data", errMalformed)
		}
		if n == 0 {
			return total, discardTrailer(br)
		}
		for n > 0 {
			step := int(min(n, 1<<30))
			d, err := br.Discard(step)
			total += int64(d)
			n -= uint64(d)
			if err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return total, err
			}
		}
		crlf, err := br.Peek(2)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return total, err
		}
		if crlf[0] != '\r' || crlf[1] != '\n' {
			return total, fmt.Errorf("%w: chunk not ended by CRLF", errMalformed)
		}
		br.Discard(2)
	}
}

// discardTrailer reads the fields after the last chunk up to the blank line. As net/http does, it
// wants a CRLF CRLF within maxTrailerPeek bytes before it parses them.
func discardTrailer(br *bufio.Reader) error {
	if p, _ := br.Peek(2); len(p) == 2 && p[0] == '\r' && p[1] == '\n' {
		br.Discard(2)
		return nil
	} else if len(p) < 2 {
		return errors.New("unexpected EOF reading trailer")
	}
	for {
		buf, _ := br.Peek(min(br.Buffered(), maxTrailerPeek))
		if bytes.Contains(buf, []byte("\r\n\r\n")) {
			break
		}
		if len(buf) >= maxTrailerPeek {
			return fmt.Errorf("%w: suspiciously long trailer after chunked body", errMalformed)
		}
		if _, err := br.Peek(len(buf) + 1); err != nil {
			return fmt.Errorf("%w: suspiciously long trailer after chunked body", errMalformed)
		}
	}
	buf, _ := br.Peek(br.Buffered())
	if buf[0] == ' ' || buf[0] == '\t' {
		return fmt.Errorf("%w: trailer starts with a continuation line", errMalformed)
	}
	rest := buf
	for {
		var line []byte
		line, rest = nextLine(rest)
		if len(line) == 0 {
			break
		}
		// Continuation lines only need valid bytes; the values are not used.
		for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			var cont []byte
			cont, rest = nextLine(rest)
			if !validValue(cont) {
				return fmt.Errorf("%w: invalid byte in a trailer field", errMalformed)
			}
		}
		key, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(key) == 0 || !validValue(value) {
			return fmt.Errorf("%w: trailer field %q", errMalformed, line)
		}
		for _, c := range key {
			if c != ' ' && !isTokenByte(c) {
				return fmt.Errorf("%w: trailer field %q", errMalformed, line)
			}
		}
	}
	br.Discard(len(buf) - len(rest))
	return nil
}

// nextLine splits b after its first LF, returning the line without LF and one CR before it. The
// callers only pass blocks that end with a LF.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, rest
}

func parseLength(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

func parseHex(b []byte) (uint64, error) {
	if len(b) == 0 {
		return 0, fmt.Errorf("%w: empty chunk size", errMalformed)
	}
	if len(b) > 16 {
		return 0, fmt.Errorf("%w: chunk size too large", errMalformed)
	}
	var n uint64
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, fmt.Errorf("%w: invalid byte in chunk size", errMalformed)
		}
		n = n<<4 | uint64(c)
	}
	return n, nil
}

// hasToken reports whether the comma-separated list v holds tok (ASCII case-insensitively).
func hasToken(v []byte, tok string) bool {
	for {
		e, rest, more := cutComma(v)
		if asciiEqualFold(trimOWS(e), tok) {
			return true
		}
		if !more {
			return false
		}
		v = rest
	}
}

func cutComma(v []byte) (before, after []byte, found bool) {
	if i := bytes.IndexByte(v, ','); i >= 0 {
		return v[:i], v[i+1:], true
	}
	return v, nil, false
}

// hasTrailerKey reports whether a Trailer field announces a field a trailer must not carry (net/http
// rejects such an answer).
func hasTrailerKey(v []byte) bool {
	for {
		e, rest, more := cutComma(v)
		e = trimSpace(e)
		if asciiEqualFold(e, "Transfer-Encoding") || asciiEqualFold(e, "Trailer") || asciiEqualFold(e, "Content-Length") {
			return true
		}
		if !more {
			return false
		}
		v = rest
	}
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isTokenByte: the bytes of a field name (RFC 9110 tchar), tested against a 128-bit mask.
func isTokenByte(c byte) bool {
	const mask = 0 |
		(1<<10-1)<<'0' |
		(1<<26-1)<<'a' |
		(1<<26-1)<<'A' |
		1<<'!' | 1<<'#' | 1<<'$' | 1<<'%' | 1<<'&' | 1<<'\'' | 1<<'*' | 1<<'+' | 1<<'-' | 1<<'.' |
		1<<'^' | 1<<'_' | 1<<'`' | 1<<'|' | 1<<'~'
	return ((uint64(1)<<c)&(mask&(1<<64-1)) | (uint64(1)<<(c-64))&(mask>>64)) != 0
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// validValue: a field value's bytes are visible ASCII, space, tab or obs-text (no control bytes).
func validValue[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func trimOWS(b []byte) []byte { return trimRightOWS(trimLeftOWS(b)) }

func trimLeftOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

func trimRightOWS[T string | []byte](b T) T {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// trimSpace is textproto.TrimString: space, tab, CR and LF.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	return b
}
