package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// body is a decoded request body read field by field, so that each field can have aliases (the plan's
// snake_case names), wrong types become validation entries instead of one opaque error, and unknown
// fields are ignored as the legacy did. Form-encoded bodies (the legacy mounted urlencoded parsing too)
// are read the same way, with strings standing in for numbers and booleans.
type body struct {
	raw  map[string]json.RawMessage
	form url.Values
	errs []apperr.FieldError
}

// readBody decodes the request body. An empty body is an empty object (validation then names the
// missing fields, as the legacy did).
func readBody(r *http.Request) (*body, error) {
	b := &body{}
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, decodeFailure(&httpx.DecodeError{Kind: httpx.KindTooLarge, Err: err})
			}
			return nil, &apperr.Error{Kind: apperr.KindInvalid, Message: "Malformed form body"}
		}
		b.form = r.PostForm
		return b, nil
	}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return b, nil
	}
	if err := httpx.DecodeJSON(r, &b.raw); err != nil {
		var de *httpx.DecodeError
		if errors.As(err, &de) && de.Kind == httpx.KindEmpty {
			return b, nil
		}
		return nil, decodeFailure(err)
	}
	return b, nil
}

// lookup returns the first of names present in the body.
func (b *body) lookup(names []string) (raw json.RawMessage, formVal string, name string, ok bool) {
	for _, n := range names {
		if b.form != nil {
			if vs, found := b.form[n]; found && len(vs) > 0 {
				return nil, vs[0], n, true
			}
			continue
		}
		if v, found := b.raw[n]; found {
			return v, "", n, true
		}
	}
	return nil, "", names[0], false
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func (b *body) typeErr(name, want string, raw json.RawMessage) {
	var v any
	_ = json.Unmarshal(raw, &v)
	b.errs = append(b.errs, apperr.FieldError{Path: name, Msg: name + " must be " + want, Value: v, HasValue: true, Location: "body"})
}

// str reads a string field; absent and null are nil.
func (b *body) str(names ...string) *string {
	o := b.nullableStr(names...)
	return o.V
}

// nullableStr reads a string field, telling absent (Set false) from null (Set, V nil).
func (b *body) nullableStr(names ...string) cohortly.Opt[*string] {
	raw, fv, name, ok := b.lookup(names)
	if !ok {
		return cohortly.Opt[*string]{}
	}
	s := fv
	if b.form == nil {
		if isNull(raw) {
			return cohortly.Opt[*string]{Set: true}
		}
		if plain, ok := plainString(raw); ok {
			s = plain
		} else if err := json.Unmarshal(raw, &s); err != nil {
			b.typeErr(name, "a string", raw)
			return cohortly.Opt[*string]{}
		}
	}
	if !cleanText(s) {
		// No database stores NUL in text (PostgreSQL refuses it); say so instead of failing later.
		b.errs = append(b.errs, apperr.FieldError{Path: name, Msg: name + " must be text without NUL characters", Location: "body"})
		return cohortly.Opt[*string]{}
	}
	return cohortly.Some(&s)
}

// plainString returns the text of a JSON string without escapes, control characters or invalid
// UTF-8 (what forms send), as json.Unmarshal would, without its reflection; ok is false for any
// other value, which json.Unmarshal then reads.
func plainString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c < 0x20 || c == '\\' || c == '"' {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// integer reads a whole number; absent and null are nil.
func (b *body) integer(names ...string) *int {
	o := b.nullableInt(names...)
	return o.V
}

func (b *body) nullableInt(names ...string) cohortly.Opt[*int] {
	raw, fv, name, ok := b.lookup(names)
	if !ok {
		return cohortly.Opt[*int]{}
	}
	text := fv
	if b.form == nil {
		if isNull(raw) {
			return cohortly.Opt[*int]{Set: true}
		}
		text = string(bytes.TrimSpace(raw))
		if len(text) == 0 || !(text[0] == '-' || text[0] >= '0' && text[0] <= '9') {
			b.typeErr(name, "an integer", raw)
			return cohortly.Opt[*int]{}
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || f != float64(int64(f)) || f > 1e9 || f < -1e9 {
		b.errs = append(b.errs, apperr.FieldError{Path: name, Msg: name + " must be an integer", Value: text, HasValue: true, Location: "body"})
		return cohortly.Opt[*int]{}
	}
	n := int(f)
	return cohortly.Some(&n)
}

// decimal reads a number (a JSON number, or a numeric string) as its exact text; absent and null are nil.
func (b *body) decimal(names ...string) *string {
	raw, fv, name, ok := b.lookup(names)
	if !ok {
		return nil
	}
	if b.form != nil {
		return &fv
	}
	if isNull(raw) {
		return nil
	}
	t := string(bytes.TrimSpace(raw))
	if len(t) > 0 && (t[0] == '-' || t[0] >= '0' && t[0] <= '9') {
		return &t
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return &s
		}
	}
	b.typeErr(name, "a number", raw)
	return nil
}

// boolean reads true/false; absent and null are nil.
func (b *body) boolean(names ...string) *bool {
	raw, fv, name, ok := b.lookup(names)
	if !ok {
		return nil
	}
	var v bool
	if b.form != nil {
		switch strings.ToLower(fv) {
		case "true", "1":
			v = true
		case "false", "0":
		default:
			b.errs = append(b.errs, apperr.FieldError{Path: name, Msg: name + " must be a boolean", Value: fv, HasValue: true, Location: "body"})
			return nil
		}
		return &v
	}
	if isNull(raw) {
		return nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		b.typeErr(name, "a boolean", raw)
		return nil
	}
	return &v
}

// err reports the type errors met while reading fields.
func (b *body) err() error {
	if len(b.errs) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Message: cohortly.MsgValidation, Fields: b.errs}
}

// jsParseInt is JavaScript's parseInt(s, 10): optional whitespace and sign, then leading digits;
// ok is false where parseInt gives NaN.
func jsParseInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n, digits := 0, 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		if n < 1e9 {
			n = n*10 + int(s[digits]-'0')
		}
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// pageQuery reads page and limit (alias page_size) as the legacy did (parseInt, 0 or NaN means the
// default), refusing negative values and capping limit at MaxLimit.
func pageQuery(q url.Values) (cohortly.PageQuery, error) {
	pq := cohortly.PageQuery{Page: 1, Limit: cohortly.DefaultLimit}
	var fe []apperr.FieldError
	if n, ok := jsParseInt(q.Get("page")); ok && n != 0 {
		if n < 0 {
			fe = append(fe, apperr.FieldError{Path: "page", Msg: "page must be a positive integer", Value: q.Get("page"), HasValue: true, Location: "query"})
		} else {
			pq.Page = n
		}
	}
	ls := q.Get("limit")
	if ls == "" {
		ls = q.Get("page_size")
	}
	if n, ok := jsParseInt(ls); ok && n != 0 {
		if n < 0 {
			fe = append(fe, apperr.FieldError{Path: "limit", Msg: "limit must be a positive integer", Value: ls, HasValue: true, Location: "query"})
		} else {
			pq.Limit = min(n, cohortly.MaxLimit)
		}
	}
	if len(fe) > 0 {
		return pq, &apperr.Error{Kind: apperr.KindInvalid, Message: cohortly.MsgValidation, Fields: fe}
	}
	// Keep the offset within what every database accepts.
	if pq.Page > 1_000_000 {
		pq.Page = 1_000_000
	}
	return pq, nil
}

// queryBool reads an optional boolean query parameter.
func queryBool(q url.Values, name string) (*bool, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	var b bool
	switch strings.ToLower(v) {
	case "true", "1":
		b = true
	case "false", "0":
	default:
		return nil, &apperr.Error{Kind: apperr.KindInvalid, Message: cohortly.MsgValidation,
			Fields: []apperr.FieldError{{Path: name, Msg: name + " must be true or false", Value: v, HasValue: true, Location: "query"}}}
	}
	return &b, nil
}

// first returns the first non-empty query value among names (aliases).
func first(q url.Values, names ...string) string {
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	return ""
}
