package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

type handlerFunc func(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error

// public wraps a handler that needs no token.
func (a *API) public(fam family, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r, nil); err != nil {
			a.fail(w, r, fam, err)
		}
	})
}

// authed wraps a handler that needs a valid token; the principal is loaded from the database. The
// route's action is checked before the handler reads the request, so a caller who may not use the route
// is refused before any 400 (the legacy guards ran first); the service checks it again.
func (a *API) authed(fam family, act momentum.Action, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.authorize(r, act)
		if err == nil {
			err = h(w, r, p)
		}
		if err != nil {
			a.fail(w, r, fam, err)
		}
	})
}

// authorize is the caller of r, if it may perform act.
func (a *API) authorize(r *http.Request, act momentum.Action) (*momentum.Principal, error) {
	p, err := a.svc.Authenticate(r.Context(), bearer(r))
	if err != nil {
		return nil, err
	}
	return p, momentum.Can(p, act)
}

// bearer takes the token the way the legacy middleware did: the second word of Authorization,
// whatever the scheme word (clients send "Bearer", some tooling "Token").
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	_, tok, ok := strings.Cut(h, " ")
	if !ok || strings.Contains(tok, " ") {
		return ""
	}
	return tok
}

func bad(msg string) error { return &apperr.Error{Kind: apperr.KindInvalid, Message: msg} }

// pathID parses a path id strictly: decimal digits only, positive, fits int64 ("1abc" is refused; the
// legacy parseInt accepted it).
func pathID(r *http.Request, name, label string) (int64, error) {
	return parseID(r.PathValue(name), label)
}

func parseID(v, label string) (int64, error) {
	if v == "" || len(v) > 18 {
		return 0, bad(label + " must be a positive integer")
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, bad(label + " must be a positive integer")
		}
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, bad(label + " must be a positive integer")
	}
	return id, nil
}

// restaurantRef parses a restaurant reference: "me" or a strict id.
func restaurantRef(v string) (momentum.RestaurantRef, error) {
	if strings.EqualFold(v, "me") {
		return momentum.RestaurantRef{Me: true}, nil
	}
	id, err := parseID(v, "Restaurant id")
	return momentum.RestaurantRef{ID: id}, err
}

// query returns a single-valued query parameter; a repeated one is refused (legacy turned it into an
// array that silently matched nothing).
func query(r *http.Request, name string) (string, error) {
	vs := r.URL.Query()[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", bad(name + " must be given once")
}

// fields is a request body read as named values, whatever the encoding: a JSON object (values kept raw
// so types can be checked), a URL-encoded form or the text fields of a multipart form.
type fields struct {
	json map[string]json.RawMessage
	form url.Values
}

// readFields parses a JSON or URL-encoded body. A missing body reads as no fields, so each handler's
// own "required" message answers it (legacy: a 500).
func readFields(r *http.Request) (fields, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return fields{}, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case httpx.IsJSON(r):
		var m map[string]json.RawMessage
		if err := httpx.DecodeJSON(r, &m); err != nil {
			var de *httpx.DecodeError
			if errors.As(err, &de) && de.Kind == httpx.KindEmpty {
				return fields{}, nil
			}
			return fields{}, err
		}
		return fields{json: m}, nil
	case mt == "application/x-www-form-urlencoded":
		b, err := io.ReadAll(r.Body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return fields{}, &httpx.DecodeError{Kind: httpx.KindTooLarge}
			}
			return fields{}, fmt.Errorf("read form: %w", err)
		}
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return fields{}, bad("Malformed form body")
		}
		return fields{form: v}, nil
	case mt == "":
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1))
		if len(b) == 0 {
			return fields{}, nil
		}
	}
	return fields{}, &httpx.DecodeError{Kind: httpx.KindContentType}
}

// str returns a text field: absent or null is "", a non-string JSON value is a 400.
func (f fields) str(name string) (string, error) {
	if f.json != nil {
		raw, ok := f.json[name]
		if !ok || string(raw) == "null" {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", bad(name + " must be a string")
		}
		return s, nil
	}
	vs := f.form[name]
	if len(vs) > 1 {
		return "", bad(name + " must be given once")
	}
	if len(vs) == 0 {
		return "", nil
	}
	return vs[0], nil
}

// optional returns a text field keeping absent and null apart.
func (f fields) optional(name string) (momentum.Optional, error) {
	if f.json != nil {
		raw, ok := f.json[name]
		if !ok {
			return momentum.Optional{}, nil
		}
		if string(raw) == "null" {
			return momentum.Optional{Set: true}, nil
		}
		s, err := f.str(name)
		return momentum.Optional{Set: true, Value: &s}, err
	}
	if _, ok := f.form[name]; !ok {
		return momentum.Optional{}, nil
	}
	s, err := f.str(name)
	return momentum.Optional{Set: true, Value: &s}, err
}

// number returns a field that may be a JSON number or text, as text ("" when absent).
func (f fields) number(name string) (string, error) {
	if f.json != nil {
		raw, ok := f.json[name]
		if ok && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
			return string(raw), nil
		}
	}
	s, err := f.str(name)
	if err != nil {
		return "", bad(name + " must be a number")
	}
	return s, nil
}

// boolean reads a JSON boolean (or 0/1, "true"/"false" from forms).
func (f fields) boolean(name string) (value, present bool, err error) {
	if f.json != nil {
		raw, ok := f.json[name]
		if !ok || string(raw) == "null" {
			return false, false, nil
		}
		switch string(raw) {
		case "true", "1":
			return true, true, nil
		case "false", "0":
			return false, true, nil
		}
		return false, true, bad(name + " must be true or false")
	}
	s, err := f.str(name)
	if err != nil || s == "" {
		return false, false, err
	}
	switch s {
	case "true", "1":
		return true, true, nil
	case "false", "0":
		return false, true, nil
	}
	return false, true, bad(name + " must be true or false")
}

// upload is a file received in a multipart form, held in memory (CSV) or already stored (image).
type upload struct {
	name        string
	contentType string
	data        []byte // CSV content
	stored      string // generated name of a stored image
}

// multipartSpec says which file field a route takes and how to keep it.
type multipartSpec struct {
	field string
	max   int64
	// keep stores the file; nil keeps it in memory.
	keep func(r io.Reader, name, contentType string, max int64) (string, error)
	// accept checks name and declared type before anything is read.
	accept func(name, contentType string) error
}

// readMultipart streams a multipart form: text fields become fields, the one allowed file is kept per
// spec. Unexpected file fields, a second file and oversize files are 400s that say why (legacy: 500
// "Something went wrong!"). On error, a stored file is removed by the caller via cleanup.
func readMultipart(r *http.Request, spec multipartSpec) (f fields, up *upload, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return fields{}, nil, bad("Malformed multipart form")
	}
	f.form = url.Values{}
	textBytes := 0
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			return f, up, multipartErr(perr)
		}
		name := part.FormName()
		if part.FileName() == "" {
			b, rerr := io.ReadAll(io.LimitReader(part, MaxBodyBytes+1))
			if rerr != nil {
				return f, up, multipartErr(rerr)
			}
			textBytes += len(b)
			if textBytes > MaxBodyBytes {
				return f, up, &apperr.Error{Kind: apperr.KindTooLarge, Message: "Form fields are too large (limit 100kb)"}
			}
			f.form.Add(name, string(b))
			continue
		}
		if name != spec.field {
			return f, up, bad(fmt.Sprintf("Unexpected file field %q: send the file as %q", name, spec.field))
		}
		if up != nil {
			return f, up, bad("Only one file may be uploaded")
		}
		ct := part.Header.Get("Content-Type")
		if err := spec.accept(part.FileName(), ct); err != nil {
			return f, up, err
		}
		up = &upload{name: part.FileName(), contentType: ct}
		if spec.keep != nil {
			stored, kerr := spec.keep(part, part.FileName(), ct, spec.max)
			if kerr != nil {
				if errors.Is(kerr, momentum.ErrFileTooLarge) {
					return f, nil, bad(fmt.Sprintf("File too large: the limit is %d MB", spec.max>>20))
				}
				if errors.Is(kerr, momentum.ErrNotAnImage) {
					return f, nil, bad(kerr.Error())
				}
				return f, nil, multipartErr(kerr)
			}
			up.stored = stored
			continue
		}
		var buf bytes.Buffer
		n, rerr := io.Copy(&buf, io.LimitReader(part, spec.max+1))
		if rerr != nil {
			return f, up, multipartErr(rerr)
		}
		if n > spec.max {
			return f, up, bad(fmt.Sprintf("File too large: the limit is %d MB", spec.max>>20))
		}
		up.data = buf.Bytes()
	}
	return f, up, nil
}

func multipartErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apperr.Error{Kind: apperr.KindTooLarge, Message: "Upload is too large"}
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Message: "Malformed multipart form", Err: err}
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
