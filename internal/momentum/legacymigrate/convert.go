package legacymigrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	momentum "github.com/momentum-cohortly/backends/internal/momentum"
)

// Conversion policy, in one place (README "What the conversion does" says the same in prose):
//
//   - A value that fits the model's type converts silently.
//   - A value the model can represent only by changing it (a non-canonical timestamp, a TEXT
//     is_complete, a JSON document whose text is not in compact form) is converted AND its original
//     is kept under legacy_raw.<field>, so the reverse export writes back exactly what was read. The
//     reverse export uses the original only while it still converts to the field's current value:
//     once the Go server rewrites the field, the new value wins.
//   - A value the model cannot represent at all (an unparseable timestamp) gives a null field with
//     the original under legacy_raw.<field>.
//   - A value of the wrong type in an integer or text column (legacy SQLite never checked) is kept
//     as it is, with its own BSON type.
//
// Every case but compact-form JSON is reported. Conversions are pure functions of the legacy value,
// so the verifier recomputes them and compares byte for byte.

// fieldNote is something worth reporting about one field of one row.
type fieldNote struct {
	kind   string // issue kind
	column string
	value  string // the offending legacy value, rendered
	action string
}

// converted is one legacy value turned into its field value.
type converted struct {
	out     any  // the field value
	raw     any  // the legacy original, when keepRaw
	keepRaw bool // store raw under legacy_raw.<field>
	note    *fieldNote
}

// keepValue is the BSON form of a legacy value kept as it is.
func keepValue(v any) any {
	switch x := v.(type) {
	case nil, int64, float64, string:
		return x
	case []byte:
		return bson.Binary{Subtype: bson.TypeBinaryGeneric, Data: append([]byte(nil), x...)}
	case int:
		return int64(x)
	case time.Time: // only if a driver ever hands one over despite the +col selection
		return momentum.FormatTime(x)
	default:
		return fmt.Sprint(x)
	}
}

// sqliteValue is the inverse of keepValue: the value to bind so SQLite stores what was read.
func sqliteValue(v any) any {
	switch x := v.(type) {
	case bson.Binary:
		return x.Data
	case int32:
		return int64(x)
	default:
		return x
	}
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int64:
		return "integer"
	case float64:
		return "real"
	case string:
		return "text"
	case []byte:
		return "blob"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// render shows a legacy value in a report, truncated.
func render(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		s = "NULL"
	case string:
		s = strconv.Quote(x)
	case []byte:
		s = fmt.Sprintf("x'%x'", x)
	default:
		s = fmt.Sprint(x)
	}
	if len(s) > maxIssueValueSize {
		cut := maxIssueValueSize
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// convertValue converts one legacy value of column c.
func convertValue(c *column, v any) converted {
	if v == nil {
		return converted{}
	}
	switch c.kind {
	case kInt:
		if _, ok := v.(int64); ok {
			return converted{out: v}
		}
		return oddType(c, v, "integer")
	case kText:
		s, ok := v.(string)
		if !ok {
			return oddType(c, v, "text")
		}
		if s == "" && c.emptyIsNull {
			return converted{out: nil, raw: "", keepRaw: true}
		}
		if !utf8.ValidString(s) {
			return converted{out: s, note: &fieldNote{kind: "odd_value", column: c.name, value: render(v), action: "kept as is: text is not valid UTF-8"}}
		}
		return converted{out: s}
	case kTime:
		return convertTime(c, v)
	case kReal:
		switch x := v.(type) {
		case float64:
			return converted{out: x}
		case int64:
			f := float64(x)
			if f >= -(1<<63) && f < 1<<63 && int64(f) == x {
				return converted{out: f}
			}
			return converted{out: f, raw: x, keepRaw: true, note: &fieldNote{kind: "odd_value", column: c.name, value: render(v), action: "converted to a double that rounds it; original kept in legacy_raw"}}
		}
		return oddType(c, v, "number")
	case kBool:
		if x, ok := v.(int64); ok && (x == 0 || x == 1) {
			return converted{out: x == 1}
		}
		b := truthy(v)
		return converted{out: b, raw: keepValue(v), keepRaw: true, note: &fieldNote{kind: "odd_value", column: c.name, value: render(v),
			action: fmt.Sprintf("stored as %v; original kept in legacy_raw", b)}}
	case kFlag:
		if x, ok := v.(int64); ok && (x == 0 || x == 1) {
			return converted{out: x}
		}
		// Only the integer 0 is "pending" to the legacy server and to the Go server on SQLite (both
		// filter is_complete = 0, which no TEXT, REAL or other integer equals), so everything else
		// becomes 1 and drops out of the pending lists here too.
		return converted{out: int64(1), raw: keepValue(v), keepRaw: true, note: &fieldNote{kind: "odd_value", column: c.name, value: render(v),
			action: "stored as 1 (the legacy server never counted it as pending); original kept in legacy_raw"}}
	case kJSON:
		s, ok := v.(string)
		if !ok {
			return oddType(c, v, "JSON text")
		}
		return convertJSON(c, s)
	}
	return oddType(c, v, "known kind")
}

func oddType(c *column, v any, want string) converted {
	return converted{out: keepValue(v), note: &fieldNote{kind: "odd_value", column: c.name, value: render(v),
		action: fmt.Sprintf("kept as is (%s, expected %s)", typeName(v), want)}}
}

// truthy maps a legacy is_critical of any storage class to a bool the way the Go server on SQLite
// reads it (sqlitestore): non-zero numbers and the TEXT 'true' or '1' are true.
func truthy(v any) bool {
	switch x := v.(type) {
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x == "true" || x == "1"
	case []byte:
		return string(x) == "true" || string(x) == "1"
	}
	return false
}

// Timestamps.

// Go's parser also accepts fractional seconds after the seconds of any of these layouts.
var lenientLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseCanonical accepts exactly the legacy `YYYY-MM-DD HH:MM:SS` (UTC).
func parseCanonical(s string) (time.Time, bool) {
	if len(s) != len(momentum.TimeLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(momentum.TimeLayout, s)
	if err != nil || t.Format(momentum.TimeLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// parseLenient accepts the other time-value forms SQLite's date functions understand (a 'T'
// separator, fractional seconds, minutes only, a date only, a Z or ±HH:MM suffix). Zone-less values
// are UTC, like every legacy timestamp.
func parseLenient(s string) (time.Time, bool) {
	for _, l := range lenientLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// maxUnixSeconds bounds integer timestamps read as Unix seconds (as the Go server on SQLite reads
// them) to dates a BSON date holds.
const maxUnixSeconds = 1 << 40

// convertTime reads a legacy timestamp the way the Go server on SQLite does (sqlitestore), so both
// servers show the same instant: the legacy form; other SQLite time forms, spaces trimmed; integers
// (or digit strings) as Unix seconds. Whole seconds, like every time in the model.
func convertTime(c *column, v any) converted {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	var t time.Time
	var how string
	switch x := v.(type) {
	case string:
		if t, ok := parseCanonical(x); ok {
			return converted{out: bson.NewDateTimeFromTime(t)}
		}
		trimmed := strings.TrimSpace(x)
		if lt, ok := parseLenient(trimmed); ok {
			t, how = lt, "normalised to "
		} else if n, err := strconv.ParseInt(trimmed, 10, 64); err == nil && n > 0 && n < maxUnixSeconds {
			t, how = time.Unix(n, 0).UTC(), "read as Unix seconds: "
		}
	case int64:
		if x > -maxUnixSeconds && x < maxUnixSeconds {
			t, how = time.Unix(x, 0).UTC(), "read as Unix seconds: "
		}
	}
	if how != "" {
		d := bson.NewDateTimeFromTime(t.Truncate(time.Second))
		return converted{out: d, raw: keepValue(v), keepRaw: true, note: &fieldNote{kind: "odd_timestamp", column: c.name, value: render(v),
			action: how + momentum.FormatTime(d.Time()) + " UTC; original kept in legacy_raw"}}
	}
	return converted{out: nil, raw: keepValue(v), keepRaw: true, note: &fieldNote{kind: "odd_timestamp", column: c.name, value: render(v),
		action: "not a timestamp: field set to null; original kept in legacy_raw"}}
}

// JSON text.

// maxJSONDepth keeps embedded documents well inside MongoDB's nesting limit of 100.
const maxJSONDepth = 64

// convertJSON follows the model's rule for campaigns.details (shared with mongostore): a JSON object
// that MongoDB holds faithfully becomes an embedded document; any other text is kept as the string it
// was; "" becomes null. Invalid JSON is reported as such, valid JSON that is not embeddable as an odd
// value.
func convertJSON(c *column, s string) converted {
	if s == "" {
		return converted{out: nil, raw: "", keepRaw: true}
	}
	if !json.Valid([]byte(s)) {
		var x any
		msg := "invalid JSON"
		if err := json.Unmarshal([]byte(s), &x); err != nil {
			msg = "invalid JSON: " + err.Error()
		}
		return converted{out: s, note: &fieldNote{kind: IssueInvalidJSON, column: c.name, value: render(s), action: "kept as a string (" + msg + ")"}}
	}
	v, err := parseJSON(s)
	if err == nil {
		if _, ok := v.(bson.D); !ok {
			err = errors.New("not a JSON object")
		}
	}
	if err != nil {
		return converted{out: s, note: &fieldNote{kind: IssueOddValue, column: c.name, value: render(s),
			action: "valid JSON kept as a string: " + err.Error()}}
	}
	out := converted{out: v}
	if compactJSON(v) != s {
		out.raw, out.keepRaw = s, true
	}
	return out
}

// parseJSON decodes one JSON value keeping object key order. Objects become bson.D, arrays bson.A,
// integers that fit int64 become int64 and other numbers float64. Keys MongoDB cannot store (with a
// '.' or a leading '$', duplicated, or with a NUL) make the whole value fail.
func parseJSON(s string) (any, error) {
	if !utf8.ValidString(s) {
		return nil, errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := parseJSONValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: data after the value")
	}
	return v, nil
}

func parseJSONValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("invalid JSON: empty")
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch x := tok.(type) {
	case json.Delim:
		switch x {
		case '{':
			d := bson.D{}
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON: %w", err)
				}
				k := kt.(string)
				switch {
				case k == "", strings.HasPrefix(k, "$"), strings.Contains(k, "."), strings.ContainsRune(k, 0):
					return nil, fmt.Errorf("key %q cannot be stored in MongoDB", k)
				case seen[k]:
					return nil, fmt.Errorf("duplicate key %q", k)
				}
				seen[k] = true
				v, err := parseJSONValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				d = append(d, bson.E{Key: k, Value: v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			return d, nil
		case '[':
			a := bson.A{}
			for dec.More() {
				v, err := parseJSONValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			return a, nil
		}
		return nil, fmt.Errorf("invalid JSON: unexpected %v", x)
	case json.Number:
		lit := string(x)
		if !strings.ContainsAny(lit, ".eE") {
			if n, err := strconv.ParseInt(lit, 10, 64); err == nil && strconv.FormatInt(n, 10) == lit {
				return n, nil
			}
			return nil, fmt.Errorf("number %s would not read back the same", lit)
		}
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %s out of range", lit)
		}
		if j, _ := json.Marshal(f); string(j) != lit {
			return nil, fmt.Errorf("number %s would read back as %s", lit, j)
		}
		return f, nil
	case string, bool, nil:
		return x, nil
	}
	return nil, fmt.Errorf("invalid JSON: unexpected token %v", tok)
}

// compactJSON writes v (as parseJSON returns it, or as read back from MongoDB) as compact JSON.
func compactJSON(v any) string {
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
			return
		}
		j, _ := json.Marshal(x)
		b.Write(j)
	case string:
		writeJSONString(b, x)
	case bson.D:
		b.WriteByte('{')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, e.Key)
			b.WriteByte(':')
			writeJSON(b, e.Value)
		}
		b.WriteByte('}')
	case bson.A:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	default:
		// Values the Go server may have stored that JSON has no literal for (dates, ids): their
		// relaxed extended-JSON form, which is at least readable and valid.
		j, err := bson.MarshalExtJSON(bson.D{{Key: "v", Value: x}}, false, false)
		if err != nil {
			writeJSONString(b, fmt.Sprint(x))
			return
		}
		var wrapped struct {
			V json.RawMessage `json:"v"`
		}
		if json.Unmarshal(j, &wrapped) != nil {
			writeJSONString(b, fmt.Sprint(x))
			return
		}
		b.Write(wrapped.V)
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode appends a newline
}

// rowDoc is one legacy row converted to its document.
type rowDoc struct {
	key   any // int64, or the session id
	doc   bson.D
	notes []fieldNote
}

// convertRow turns the values of one legacy row (aligned with t.cols) into the model's document.
func (t *table) convertRow(vals []any) rowDoc {
	fields := make(docFields, len(t.cols)+len(t.derived))
	doc := make(bson.D, 0, len(t.cols)+len(t.derived)+1)
	var raw bson.D
	var notes []fieldNote
	var key any
	for i := range t.cols {
		c := &t.cols[i]
		cv := convertValue(c, vals[i])
		if c.name == t.key {
			key = cv.out
		}
		fields[c.name] = cv.out
		doc = append(doc, bson.E{Key: c.name, Value: cv.out})
		if cv.keepRaw {
			raw = append(raw, bson.E{Key: c.name, Value: cv.raw})
		}
		if cv.note != nil {
			notes = append(notes, *cv.note)
		}
		for _, d := range t.derived {
			if d.after == c.name {
				v := d.from(fields)
				fields[d.name] = v
				doc = append(doc, bson.E{Key: d.name, Value: v})
			}
		}
	}
	if len(raw) > 0 {
		doc = append(doc, bson.E{Key: legacyRawField, Value: raw})
	}
	return rowDoc{key: key, doc: doc, notes: notes}
}

// Reverse: document fields back to legacy values.

// reverseField returns the legacy value for column c of a document, honouring legacy_raw while it is
// still consistent with the field.
func reverseField(c *column, doc bson.Raw) (any, *fieldNote) {
	fv, err := doc.LookupErr(c.name)
	if err != nil {
		fv = bson.RawValue{Type: bson.TypeNull}
	}
	if rv, err := doc.LookupErr(legacyRawField, c.name); err == nil {
		orig, ok := rawToGo(rv)
		if ok {
			again := convertValue(c, orig)
			if sameValue(again.out, fv) {
				return orig, nil
			}
		}
	}
	return reverseValue(c, fv)
}

// rawToGo decodes a legacy_raw value (as keepValue wrote it) back into a SQLite value.
func rawToGo(rv bson.RawValue) (any, bool) {
	switch rv.Type {
	case bson.TypeNull:
		return nil, true
	case bson.TypeInt64:
		return rv.Int64(), true
	case bson.TypeInt32:
		return int64(rv.Int32()), true
	case bson.TypeDouble:
		return rv.Double(), true
	case bson.TypeString:
		return rv.StringValue(), true
	case bson.TypeBinary:
		_, data := rv.Binary()
		return append([]byte(nil), data...), true
	}
	return nil, false
}

// sameValue reports whether the Go value v marshals to exactly the BSON value rv.
func sameValue(v any, rv bson.RawValue) bool {
	if v == nil {
		return rv.Type == bson.TypeNull || rv.Type == 0
	}
	typ, data, err := bson.MarshalValue(v)
	if err != nil {
		return false
	}
	return typ == rv.Type && bytes.Equal(data, rv.Value)
}

// reverseValue converts a field's BSON value into the legacy storage form.
func reverseValue(c *column, rv bson.RawValue) (any, *fieldNote) {
	switch rv.Type {
	case 0, bson.TypeNull, bson.TypeUndefined:
		return nil, nil
	case bson.TypeInt64:
		return rv.Int64(), nil
	case bson.TypeInt32:
		return int64(rv.Int32()), nil
	case bson.TypeDouble:
		return rv.Double(), nil
	case bson.TypeString:
		return rv.StringValue(), nil
	case bson.TypeBoolean:
		if rv.Boolean() {
			return int64(1), nil
		}
		return int64(0), nil
	case bson.TypeDateTime:
		return momentum.FormatTime(rv.Time()), nil
	case bson.TypeEmbeddedDocument, bson.TypeArray:
		var v any
		if rv.Type == bson.TypeArray {
			var a bson.A
			if err := rv.Unmarshal(&a); err == nil {
				v = a
			}
		} else {
			var d bson.D
			if err := rv.Unmarshal(&d); err == nil {
				v = d
			}
		}
		return compactJSON(v), nil
	case bson.TypeBinary:
		_, data := rv.Binary()
		return append([]byte(nil), data...), nil
	}
	s := rv.String()
	return s, &fieldNote{kind: "odd_value", column: c.name, value: render(s), action: "BSON " + rv.Type.String() + " written as its extended-JSON text"}
}
