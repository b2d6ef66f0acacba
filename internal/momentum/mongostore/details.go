package mongostore

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Campaign details are JSON text in the domain (and in the legacy TEXT column). In MongoDB a JSON
// object is stored as an embedded document so it can be queried; anything else (invalid JSON, a
// JSON value that is not an object, or an object MongoDB cannot hold faithfully) is kept as the
// string it was, and "" is stored as null.
//
// "Faithfully" means reading it back gives the same JSON: same keys in the same order, same
// strings, and every number literal spelled exactly as it is rendered again (1500 and 10.5 yes,
// 1e3 or 1.0 or 2^70 no). Whitespace and string escapes are not kept.

const maxDetailsDepth = 64

// detailsValue is what CreateCampaign stores for the details text s.
func detailsValue(s string) any {
	if s == "" {
		return nil
	}
	if doc, ok := jsonObjectToBSON(s); ok {
		return doc
	}
	return s
}

func jsonObjectToBSON(s string) (bson.D, bool) {
	if !utf8.ValidString(s) || !strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "{") {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, false
	}
	doc, err := decodeObject(dec, 1)
	if err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false // trailing data
	}
	return doc, true
}

var errUnfaithful = errors.New("not representable faithfully")

func decodeObject(dec *json.Decoder, depth int) (bson.D, error) {
	if depth > maxDetailsDepth {
		return nil, errUnfaithful
	}
	doc := bson.D{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		// Keys MongoDB (or FerretDB) refuses or treats specially.
		if !ok || key == "" || seen[key] || strings.HasPrefix(key, "$") || strings.ContainsAny(key, ".\x00") {
			return nil, errUnfaithful
		}
		seen[key] = true
		v, err := decodeValue(dec, depth)
		if err != nil {
			return nil, err
		}
		doc = append(doc, bson.E{Key: key, Value: v})
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, err
	}
	return doc, nil
}

func decodeArray(dec *json.Decoder, depth int) (bson.A, error) {
	if depth > maxDetailsDepth {
		return nil, errUnfaithful
	}
	arr := bson.A{}
	for dec.More() {
		v, err := decodeValue(dec, depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, err
	}
	return arr, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return decodeObject(dec, depth+1)
		}
		return decodeArray(dec, depth+1)
	case json.Number:
		return numberValue(string(v))
	case string, bool, nil:
		return v, nil
	default:
		return nil, errUnfaithful
	}
}

func numberValue(lit string) (any, error) {
	if !strings.ContainsAny(lit, ".eE") {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil && strconv.FormatInt(n, 10) == lit {
			return n, nil
		}
		return nil, errUnfaithful
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || formatFloat(f) != lit {
		return nil, errUnfaithful
	}
	return f, nil
}

// formatFloat spells a double the way encoding/json does, which is what reading renders.
func formatFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// detailsText renders stored details back to the domain's JSON text.
func detailsText(v bson.RawValue) string {
	switch v.Type {
	case 0, bson.TypeNull, bson.TypeUndefined:
		return ""
	case bson.TypeString:
		return v.StringValue()
	}
	var buf bytes.Buffer
	writeJSON(&buf, v)
	return buf.String()
}

func writeJSON(buf *bytes.Buffer, v bson.RawValue) {
	switch v.Type {
	case bson.TypeEmbeddedDocument:
		elems, err := v.Document().Elements()
		if err != nil {
			buf.WriteString("null")
			return
		}
		buf.WriteByte('{')
		for i, e := range elems {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, e.Key())
			buf.WriteByte(':')
			writeJSON(buf, e.Value())
		}
		buf.WriteByte('}')
	case bson.TypeArray:
		vals, err := v.Array().Values()
		if err != nil {
			buf.WriteString("null")
			return
		}
		buf.WriteByte('[')
		for i, e := range vals {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, e)
		}
		buf.WriteByte(']')
	case bson.TypeString:
		writeString(buf, v.StringValue())
	case bson.TypeInt32:
		buf.WriteString(strconv.FormatInt(int64(v.Int32()), 10))
	case bson.TypeInt64:
		buf.WriteString(strconv.FormatInt(v.Int64(), 10))
	case bson.TypeDouble:
		buf.WriteString(formatFloat(v.Double()))
	case bson.TypeBoolean:
		buf.WriteString(strconv.FormatBool(v.Boolean()))
	case bson.TypeNull, bson.TypeUndefined:
		buf.WriteString("null")
	default:
		// Types JSON has no word for (dates, ObjectIDs, decimals: none are written by this
		// package or the migrator) come out as relaxed Extended JSON.
		b, err := bson.MarshalExtJSON(bson.D{{Key: "v", Value: v}}, false, false)
		if err != nil {
			buf.WriteString("null")
			return
		}
		var wrapped struct {
			V json.RawMessage `json:"v"`
		}
		if json.Unmarshal(b, &wrapped) != nil || len(wrapped.V) == 0 {
			buf.WriteString("null")
			return
		}
		buf.Write(wrapped.V)
	}
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode's newline
}
