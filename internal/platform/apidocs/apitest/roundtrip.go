package apitest

import (
	"net/http"
	"testing"
)

// RoundTrip sends one request to url exactly as written (the escaped path kept) and returns the
// answer without following a redirect, so a test sees a 3xx and its Location itself. The body is
// closed; status and headers are what path tests look at.
func RoundTrip(t testing.TB, method, url, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
