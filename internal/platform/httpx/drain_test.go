package httpx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// oversizeServer answers 413 as both services do: before reading a body declared too long, and when a
// body without a declared length runs past the limit.
func oversizeServer(t *testing.T, drain bool, cfg DrainConfig) string {
	t.Helper()
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = io.WriteString(w, `{"error":"too large"}`)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}), MaxBody(100<<10, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = io.WriteString(w, `{"error":"too large"}`)
	}))
	if drain {
		h = DrainBody(cfg)(h)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// smallBuffers gives accepted connections the socket buffers of a real network path: on loopback the
// kernel would otherwise buffer a whole megabyte and hide the reset.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(32 << 10)
	}
	return c, err
}

// writeAllThenRead is a client like Python's urllib: the whole request first, then the answer.
func writeAllThenRead(addr string, head string, body []byte) (status int, err error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.(*net.TCPConn).SetWriteBuffer(32 << 10)
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(c, head); err != nil {
		return 0, fmt.Errorf("write head: %w", err)
	}
	if _, err := c.Write(body); err != nil {
		return 0, fmt.Errorf("write body: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, fmt.Errorf("read answer: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func chunked(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(len(b), 32<<10)
		fmt.Fprintf(&out, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

func TestOversizedBodyAnswerReachesAClientThatWritesEverythingFirst(t *testing.T) {
	body := bytes.Repeat([]byte("a"), 1100<<10) // 1.1 MB
	addr := oversizeServer(t, true, DrainConfig{})
	for _, tc := range []struct {
		name, head string
		body       []byte
	}{
		{"declared length", fmt.Sprintf("POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)), body},
		{"chunked", "POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(body)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 3 {
				status, err := writeAllThenRead(addr, tc.head, tc.body)
				if err != nil {
					t.Fatalf("attempt %d: %v (the client never saw the answer)", i, err)
				}
				if status != http.StatusRequestEntityTooLarge {
					t.Fatalf("attempt %d: status %d, want 413", i, status)
				}
			}
		})
	}
}

func TestDrainStopsAtItsBounds(t *testing.T) {
	t.Run("time: a client that stops sending gets its answer and the connection closes", func(t *testing.T) {
		addr := oversizeServer(t, true, DrainConfig{MaxTime: 20 * time.Millisecond})
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n", 1<<20)
		_, _ = c.Write(bytes.Repeat([]byte("a"), 10<<10))
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		// The server gives up after MaxTime and closes; a stalled client cannot hold the connection.
		if _, err := br.ReadByte(); err == nil {
			t.Fatal("connection still open after the drain time")
		}
	})
	t.Run("bytes: a body declared past the bound is not drained", func(t *testing.T) {
		addr := oversizeServer(t, true, DrainConfig{MaxBytes: 200 << 10})
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n", 50<<20)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Fatalf("status %d close %v", resp.StatusCode, resp.Close)
		}
	})
	t.Run("a read body keeps the connection alive", func(t *testing.T) {
		addr := oversizeServer(t, true, DrainConfig{})
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(c)
		for range 2 {
			io.WriteString(c, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}")
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || string(b) != "ok" {
				t.Fatalf("status %d body %q", resp.StatusCode, b)
			}
		}
	})
}

// Without the drain, the same client is reset: the attack of the issue, and proof the test above can fail.
func TestWithoutDrainTheClientIsReset(t *testing.T) {
	body := bytes.Repeat([]byte("a"), 1100<<10)
	addr := oversizeServer(t, false, DrainConfig{})
	head := fmt.Sprintf("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n", len(body))
	if _, err := writeAllThenRead(addr, head, body); err == nil {
		t.Fatal("the client got its answer without the drain: the reproduction no longer reproduces")
	}
}
