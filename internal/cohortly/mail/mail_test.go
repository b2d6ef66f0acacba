package mail

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSendGridPostsTheV3Payload(t *testing.T) {
	var got sgRequest
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/mail/send" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		auth = r.Header.Get("Authorization")
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("decode: %v", err)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	m := NewSendGrid("SG.key", srv.URL, "noreply@bootcamp.com", "Cohortly", srv.Client())
	err := m.Send(context.Background(), Message{To: "a@b.co", ToName: "A", Subject: "Hi", Text: "hello", HTML: "<p>hello</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if auth != "Bearer SG.key" {
		t.Errorf("Authorization = %q", auth)
	}
	if got.From.Email != "noreply@bootcamp.com" || got.Subject != "Hi" || len(got.Personalizations) != 1 ||
		got.Personalizations[0].To[0].Email != "a@b.co" || len(got.Content) != 2 || got.Content[0].Type != "text/plain" {
		t.Errorf("payload = %+v", got)
	}
}

func TestSendGridReportsRejections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"errors":[{"message":"bad key"}]}`)
	}))
	defer srv.Close()
	err := NewSendGrid("bad", srv.URL, "f@x.co", "", nil).Send(context.Background(), Message{To: "a@b.co", Subject: "s", Text: "t"})
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "bad key") {
		t.Fatalf("err = %v", err)
	}
}

func TestLogMailerRecordsWithoutBody(t *testing.T) {
	var b strings.Builder
	l := Log{Logger: slog.New(slog.NewJSONHandler(&b, nil))}
	if err := l.Send(context.Background(), Message{To: "a@b.co", Subject: "Welcome", Text: "secret body"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "a@b.co") || strings.Contains(b.String(), "secret body") {
		t.Errorf("log = %s", b.String())
	}
}
