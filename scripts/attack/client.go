package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// tally counts answers by status; 0 stands for a transport error.
type tally map[int]int

func (t tally) String() string {
	keys := make([]int, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := fmt.Sprint(k)
		if k == 0 {
			name = "conn-error"
		}
		parts = append(parts, fmt.Sprintf("%s x%d", name, t[k]))
	}
	return strings.Join(parts, ", ")
}

func (t tally) sum() int {
	n := 0
	for _, v := range t {
		n += v
	}
	return n
}

// safeTally is a tally shared by concurrent workers.
type safeTally struct {
	mu sync.Mutex
	t  tally
}

func (s *safeTally) add(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.t == nil {
		s.t = tally{}
	}
	s.t[status]++
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// client never follows redirects: a redirect is an answer the attacks look at.
var client = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// call sends one request; status 0 means no answer arrived.
func call(method, url, token, body string, header ...string) answer {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return answer{}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&m)
	return answer{resp.StatusCode, resp.Header, m}
}

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// str digs a string out of a decoded JSON body by keys.
func str(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		obj, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = obj[k]
	}
	switch v := cur.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(int64(v))
	}
	return ""
}

func momentumLogin(base, email, password string) string {
	a := call("POST", base+"/api/auth/login", "", jsonBody(map[string]string{"email": email, "password": password}))
	return str(a.body, "token")
}

func cohortlyLogin(base, email, password string) string {
	a := call("POST", base+"/api/v1/auth/login", "", jsonBody(map[string]string{"email": email, "password": password}))
	return str(a.body, "data", "accessToken")
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(v)
}
