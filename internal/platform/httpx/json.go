// Package httpx is the HTTP plumbing both services share: server lifecycle with graceful shutdown, JSON
// encoding and strict decoding, middleware (request id, access log, panic recovery, CORS, body limits,
// security headers, metrics) and the health, readiness and metrics endpoints. It is envelope-agnostic:
// each service turns the typed errors returned here into its own error bodies.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// WriteJSON writes v as JSON with status. HTML-significant characters are not escaped (the legacy
// servers did not either, and the bodies are never embedded in HTML).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only unencodable values (channels, NaN) get here: a programming error, reported as such.
		http.Error(w, `{"error":"response encoding failed"}`, http.StatusInternalServerError)
		return
	}
	b := buf.Bytes()
	writeBody(w, status, b[:len(b)-1]) // without Encode's trailing newline
}

// WriteAppended answers status with the JSON that appendBody writes for v, with WriteJSON's headers:
// for the hot responses written by hand (byte for byte what WriteJSON would send). The buffer is
// pooled; a very large one is dropped rather than kept.
func WriteAppended[T any](w http.ResponseWriter, status int, appendBody func([]byte, T) []byte, v T) {
	bp := appendPool.Get().(*[]byte)
	b := appendBody((*bp)[:0], v)
	writeBody(w, status, b)
	if cap(b) <= 256<<10 {
		*bp = b
		appendPool.Put(bp)
	}
}

var appendPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	// The keys are canonical already: no need for Set's canonicalisation.
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// DecodeKind classifies why a request body could not be decoded.
type DecodeKind int

const (
	KindEmpty       DecodeKind = iota + 1 // no body at all
	KindMalformed                         // not JSON, or trailing data after the value
	KindType                              // valid JSON, wrong type for a field (or not an object)
	KindTooLarge                          // over the limit set by MaxBody
	KindContentType                       // not a JSON content type
)

// DecodeError is returned by DecodeJSON; Msg is safe to show to the client.
type DecodeError struct {
	Kind  DecodeKind
	Field string
	Msg   string
	Err   error
}

func (e *DecodeError) Error() string { return e.Msg }
func (e *DecodeError) Unwrap() error { return e.Err }

// IsJSON reports whether the request declares a JSON body (application/json or any +json type).
func IsJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// DecodeJSON decodes the request body into dst strictly: exactly one JSON value, of the right types.
// Unknown fields are allowed (clients send extra keys). The body size limit comes from MaxBody.
func DecodeJSON(r *http.Request, dst any) error {
	if r.Body == nil || r.Body == http.NoBody {
		return &DecodeError{Kind: KindEmpty, Msg: "Request body is required"}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !IsJSON(r) {
		return &DecodeError{Kind: KindContentType, Msg: "Content-Type must be application/json"}
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(dst); err != nil {
		return classify(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		if err != nil {
			if de := classify(err); de.Kind == KindTooLarge {
				return de
			}
		}
		return &DecodeError{Kind: KindMalformed, Msg: "Request body must contain a single JSON value"}
	}
	return nil
}

func classify(err error) *DecodeError {
	var maxErr *http.MaxBytesError
	var synErr *json.SyntaxError
	var typErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return &DecodeError{Kind: KindTooLarge, Msg: fmt.Sprintf("Request body is larger than %d bytes", maxErr.Limit), Err: err}
	case errors.Is(err, io.EOF):
		return &DecodeError{Kind: KindEmpty, Msg: "Request body is required", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &DecodeError{Kind: KindMalformed, Msg: "Request body is not valid JSON (unexpected end)", Err: err}
	case errors.As(err, &synErr):
		return &DecodeError{Kind: KindMalformed, Msg: fmt.Sprintf("Request body is not valid JSON (at byte %d)", synErr.Offset), Err: err}
	case errors.As(err, &typErr):
		if typErr.Field == "" {
			return &DecodeError{Kind: KindType, Msg: "Request body must be a JSON object", Err: err}
		}
		return &DecodeError{Kind: KindType, Field: typErr.Field, Msg: fmt.Sprintf("%s must be of type %s", typErr.Field, jsonTypeName(typErr.Type.Kind().String())), Err: err}
	}
	return &DecodeError{Kind: KindMalformed, Msg: "Request body is not valid JSON", Err: err}
}

func jsonTypeName(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	}
	return goKind
}
