package legacymigrate

import (
	"bytes"
	"math"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// roundTrip converts one legacy value of column c into a document, encodes it as MongoDB stores
// it, and converts it back: the reverse export's view of the value.
func roundTrip(t testing.TB, c *column, v any) (any, converted) {
	t.Helper()
	tb := &table{name: "x", key: "id", cols: []column{{name: "id", kind: kInt}, *c}}
	rd := tb.convertRow([]any{int64(1), v})
	raw, err := bson.Marshal(rd.doc)
	if err != nil {
		t.Fatalf("marshal %#v: %v", rd.doc, err)
	}
	back, _ := reverseField(&tb.cols[1], raw)
	return back, convertValue(c, v)
}

// sameSQLite compares as SQLite would store the values; in a NUMERIC column (budget) an integral
// REAL is stored as an INTEGER, so 10 and 10.0 are the same there.
func sameSQLite(a, b any, k kind) bool {
	if k == kReal {
		if x, ok := a.(float64); ok {
			if y, ok := b.(int64); ok && x == float64(y) {
				return true
			}
		}
	}
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	}
	return a == b
}

func TestConversions(t *testing.T) {
	t.Parallel()
	day := bson.NewDateTimeFromTime(time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC))
	cases := []struct {
		name     string
		col      column
		in       any
		out      any
		keepRaw  bool
		noteKind string
	}{
		{"canonical timestamp", column{name: "created_at", kind: kTime}, "2025-06-27 17:44:13", day, false, ""},
		{"ISO timestamp", column{name: "created_at", kind: kTime}, "2025-06-27T17:44:13Z", day, true, IssueOddTimestamp},
		{"fractional timestamp", column{name: "created_at", kind: kTime}, "2025-06-27 17:44:13.750", day, true, IssueOddTimestamp},
		{"minutes only", column{name: "created_at", kind: kTime}, "2025-06-27 17:44", bson.NewDateTimeFromTime(time.Date(2025, 6, 27, 17, 44, 0, 0, time.UTC)), true, IssueOddTimestamp},
		{"date only", column{name: "created_at", kind: kTime}, "2025-06-27", bson.NewDateTimeFromTime(time.Date(2025, 6, 27, 0, 0, 0, 0, time.UTC)), true, IssueOddTimestamp},
		{"offset timestamp", column{name: "created_at", kind: kTime}, "2025-06-27 19:44:13+02:00", day, true, IssueOddTimestamp},
		{"garbage timestamp", column{name: "created_at", kind: kTime}, "yesterday", nil, true, IssueOddTimestamp},
		{"integer timestamp", column{name: "created_at", kind: kTime}, int64(1751046253), day, true, IssueOddTimestamp},
		{"digits timestamp", column{name: "created_at", kind: kTime}, " 1751046253", day, true, IssueOddTimestamp},
		{"real timestamp", column{name: "created_at", kind: kTime}, 1751046253.5, nil, true, IssueOddTimestamp},
		{"padded timestamp", column{name: "created_at", kind: kTime}, " 2025-06-27 17:44:13 ", day, true, IssueOddTimestamp},
		{"invalid date", column{name: "created_at", kind: kTime}, "2025-02-30 00:00:00", nil, true, IssueOddTimestamp},
		{"NULL timestamp", column{name: "created_at", kind: kTime}, nil, nil, false, ""},
		{"flag 0", column{name: "is_complete", kind: kFlag}, int64(0), int64(0), false, ""},
		{"flag 'true'", column{name: "is_complete", kind: kFlag}, "true", int64(1), true, IssueOddValue},
		{"flag 'false'", column{name: "is_complete", kind: kFlag}, "false", int64(1), true, IssueOddValue},
		{"flag 0.5", column{name: "is_complete", kind: kFlag}, 0.5, int64(1), true, IssueOddValue},
		{"flag 2", column{name: "is_complete", kind: kFlag}, int64(2), int64(1), true, IssueOddValue},
		{"flag NULL", column{name: "is_complete", kind: kFlag}, nil, nil, false, ""},
		{"critical 1", column{name: "is_critical", kind: kBool}, int64(1), true, false, ""},
		{"budget integer", column{name: "budget", kind: kReal}, int64(10), 10.0, false, ""},
		{"budget text", column{name: "budget", kind: kReal}, "abc", "abc", false, IssueOddValue},
		{"id as text", column{name: "restaurant_id", kind: kInt}, "abc", "abc", false, IssueOddValue},
		{"details object", column{name: "details", kind: kJSON}, `{"a":1}`, bson.D{{Key: "a", Value: int64(1)}}, false, ""},
		{"details pretty", column{name: "details", kind: kJSON}, `{ "a": 1 }`, bson.D{{Key: "a", Value: int64(1)}}, true, ""},
		{"details invalid", column{name: "details", kind: kJSON}, `{"a":`, `{"a":`, false, IssueInvalidJSON},
		{"details scalar", column{name: "details", kind: kJSON}, `42`, `42`, false, IssueOddValue},
		{"details array", column{name: "details", kind: kJSON}, `[1]`, `[1]`, false, IssueOddValue},
		{"details $key", column{name: "details", kind: kJSON}, `{"$set":1}`, `{"$set":1}`, false, IssueOddValue},
		{"details empty key", column{name: "details", kind: kJSON}, `{"":1}`, `{"":1}`, false, IssueOddValue},
		{"details duplicate key", column{name: "details", kind: kJSON}, `{"a":1,"a":2}`, `{"a":1,"a":2}`, false, IssueOddValue},
		{"details unfaithful number", column{name: "details", kind: kJSON}, `{"a":1e3}`, `{"a":1e3}`, false, IssueOddValue},
		{"details float", column{name: "details", kind: kJSON}, `{"a":10.5}`, bson.D{{Key: "a", Value: 10.5}}, false, ""},
		{"details empty", column{name: "details", kind: kJSON}, ``, nil, true, ""},
		{"external id empty", column{name: "external_id", kind: kText, emptyIsNull: true}, ``, nil, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			back, cv := roundTrip(t, &tc.col, tc.in)
			if !sameValueGo(cv.out, tc.out) {
				t.Errorf("converted to %#v, want %#v", cv.out, tc.out)
			}
			if cv.keepRaw != tc.keepRaw {
				t.Errorf("keepRaw = %v, want %v", cv.keepRaw, tc.keepRaw)
			}
			kind := ""
			if cv.note != nil {
				kind = cv.note.kind
			}
			if kind != tc.noteKind {
				t.Errorf("reported as %q, want %q", kind, tc.noteKind)
			}
			if !sameSQLite(back, tc.in, tc.col.kind) {
				t.Errorf("reverse gives %#v, want the original %#v", back, tc.in)
			}
		})
	}
}

func sameValueGo(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta, da, err1 := bson.MarshalValue(a)
	tb, db, err2 := bson.MarshalValue(b)
	return err1 == nil && err2 == nil && ta == tb && bytes.Equal(da, db)
}

// Once the Go server changes a field, legacy_raw no longer matches it and the new value wins.
func TestStaleRawIsIgnored(t *testing.T) {
	t.Parallel()
	c := column{name: "updated_at", kind: kTime}
	tb := &table{name: "x", key: "id", cols: []column{{name: "id", kind: kInt}, c}}
	rd := tb.convertRow([]any{int64(1), "2025-06-27T17:44:13Z"})
	rd.doc[1].Value = bson.NewDateTimeFromTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	raw, _ := bson.Marshal(rd.doc)
	back, _ := reverseField(&tb.cols[1], raw)
	if back != "2026-01-02 03:04:05" {
		t.Errorf("reverse of an updated field = %#v, want the new value", back)
	}
}

// Every legacy value of every kind survives SQLite -> document -> SQLite exactly.
func FuzzValueRoundTrip(f *testing.F) {
	f.Add(uint8(2), "2025-06-27 17:44:13", int64(0), 0.0, uint8(0))
	f.Add(uint8(6), `{"a":[1,2.5e10,{"b":null}],"c":"\u00e9<>"}`, int64(0), 0.0, uint8(0))
	f.Add(uint8(5), "true", int64(7), 0.5, uint8(1))
	f.Add(uint8(3), "", int64(-1<<62), math.Inf(1), uint8(2))
	f.Add(uint8(4), "x", int64(3), math.Copysign(0, -1), uint8(2))
	f.Add(uint8(6), `{"a":1e400}`, int64(0), 0.0, uint8(0))
	f.Add(uint8(6), `[1, 2,3 ]`, int64(0), 0.0, uint8(0))
	f.Fuzz(func(t *testing.T, k uint8, s string, i int64, fl float64, which uint8) {
		c := column{name: "v", kind: kind(k % 7)}
		var v any
		switch which % 5 {
		case 0:
			v = s
		case 1:
			v = i
		case 2:
			if math.IsNaN(fl) {
				return // SQLite stores NaN as NULL
			}
			v = fl
		case 3:
			v = []byte(s)
		case 4:
			v = nil
		}
		back, _ := roundTrip(t, &c, v)
		if !sameSQLite(back, v, c.kind) {
			t.Fatalf("kind %d: %#v came back as %#v", c.kind, v, back)
		}
	})
}
