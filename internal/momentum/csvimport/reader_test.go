package csvimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRecordsMatchEncodingCSV: where the contract asks nothing encoding/csv does not do, the reader
// splits exactly as encoding/csv does (same records, same start lines, an error on the same inputs).
// The inputs left out are those the contract rules otherwise: line breaks with CR (lone CR is a line
// break here), spaces or tabs next to a quote (layout here, an error there), NUL bytes and invalid
// UTF-8 (refused and repaired here), and the blank lines encoding/csv skips.
func FuzzRecordsMatchEncodingCSV(f *testing.F) {
	for _, s := range []string{SampleCSV, "a,b\n\nc,d", `"a ""b""",c` + "\n", "a,\"b\nc\",d\n", `x"y`, `"a"b`, `"open`, "\"\"\n,\n", "a,,\n,\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if strings.ContainsAny(in, "\r\x00") || !utf8.ValidString(in) || strings.HasPrefix(in, "\ufeff") ||
			strings.Contains(in, ` "`) || strings.Contains(in, `" `) || strings.Contains(in, "\t\"") || strings.Contains(in, "\"\t") {
			return
		}
		type rec struct {
			line   int
			fields []string
		}
		var want []rec
		cr := csv.NewReader(strings.NewReader(in))
		cr.FieldsPerRecord = -1
		var wantErr error
		for {
			r, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				wantErr = err
				break
			}
			line, _ := cr.FieldPos(0)
			want = append(want, rec{line, r})
		}
		var got []rec
		rr := newRecordReader(strings.NewReader(in), MaxRecordBytes)
		var gotErr error
		for {
			r, line, err := rr.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				gotErr = err
				break
			}
			got = append(got, rec{line, r})
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("error %v, encoding/csv %v", gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		// encoding/csv skips empty lines; here they are records of one empty field.
		starts := map[int]bool{}
		for _, r := range want {
			starts[r.line] = true
		}
		kept := got[:0]
		for _, r := range got {
			if len(r.fields) == 1 && r.fields[0] == "" && !starts[r.line] {
				continue
			}
			kept = append(kept, r)
		}
		if len(kept) != len(want) || (len(want) > 0 && !reflect.DeepEqual(kept, want)) {
			t.Fatalf("records %v\nencoding/csv %v", kept, want)
		}
	})
}

// go test -run '^$' -bench Parse ./internal/momentum/csvimport/
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(hdr)
	for i := range 10_000 {
		fmt.Fprintf(&sb, "Customer %d,+1 (555) %03d-%04d,2024-01-%02d,c%d@example.com,\"likes \"\"extra\"\" cheese, no onions\"\n", i, i%1000, i, i%28+1, i)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(strings.NewReader(in))
		if err != nil || len(res.Customers) != 10_000 {
			b.Fatalf("%d customers, %v", len(res.Customers), err)
		}
	}
}
