package proctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Answer is a decoded JSON answer of a service process.
type Answer struct {
	Status int
	Header http.Header
	Body   map[string]any
}

// Send makes one request as the client at addr (sent as X-Forwarded-For, which instances started
// with TRUST_PROXY believe; "" sends none), with body encoded as JSON when not nil (a string is sent
// as it is: raw JSON). Safe in goroutines: a transport error is returned, not fatal.
func Send(method, url, token, addr string, body any) (Answer, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return Answer{}, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return Answer{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return Answer{resp.StatusCode, resp.Header, m}, nil
}
