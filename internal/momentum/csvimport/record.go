package csvimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/platform/jsontext"
)

// Record is a row as uploaded: its raw (untrimmed) values keyed by the header names as written in the
// file, in column order, the way the legacy server showed rejected rows (contract §11: data is the
// raw row object). Columns beyond the header are left out and a short row lacks the keys of its
// missing columns. It encodes as a JSON object in column order, which a Go map could not do.
type Record struct {
	keys []string
	vals []string
}

// record builds the Data of a rejected row.
func (h *header) record(rec []string) Record {
	n := min(len(rec), len(h.raw))
	if !h.dups {
		return Record{keys: h.raw[:n:n], vals: rec[:n:n]}
	}
	// A repeated header name behaves like a repeated JavaScript object key: first position, last value.
	pos := make(map[string]int, n)
	var r Record
	for i := 0; i < n; i++ {
		if p, ok := pos[h.raw[i]]; ok {
			r.vals[p] = rec[i]
			continue
		}
		pos[h.raw[i]] = len(r.keys)
		r.keys = append(r.keys, h.raw[i])
		r.vals = append(r.vals, rec[i])
	}
	return r
}

// Len is the number of keys.
func (r Record) Len() int { return len(r.keys) }

// At returns the i-th key and value, in column order.
func (r Record) At(i int) (key, value string) { return r.keys[i], r.vals[i] }

// Get returns the value under the exact header name.
func (r Record) Get(key string) (string, bool) {
	for i, k := range r.keys {
		if k == key {
			return r.vals[i], true
		}
	}
	return "", false
}

// MarshalJSON encodes the record as an object in column order. HTML characters are left alone; the
// encoder that calls this applies its own escaping policy.
func (r Record) MarshalJSON() ([]byte, error) {
	size := 2
	for i := range r.keys {
		size += len(r.keys[i]) + len(r.vals[i]) + 6
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i := range r.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, r.keys[i])
		b = append(b, ':')
		b = jsontext.AppendString(b, r.vals[i])
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads an object of strings back in its order (for callers that store rejected rows and
// read them later).
func (r *Record) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*r = Record{}
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("csvimport: record must be a JSON object")
	}
	var out Record
	pos := map[string]int{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := kt.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("csvimport: record value of %q: %w", key, err)
		}
		if p, ok := pos[key]; ok {
			out.vals[p] = val
			continue
		}
		pos[key] = len(out.keys)
		out.keys = append(out.keys, key)
		out.vals = append(out.vals, val)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*r = out
	return nil
}
