package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const hdr = "customer_name,phone_number,last_order_date,email,notes\n"

func mustParse(t *testing.T, in string) Result {
	t.Helper()
	res, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse(%q): %v", in, err)
	}
	return res
}

func TestSampleIsTheLegacyFileAndFullyValid(t *testing.T) {
	sum := sha256.Sum256([]byte(SampleCSV))
	if len(SampleCSV) != 306 || hex.EncodeToString(sum[:]) != "a211e80f674d3209d1c6d91771d299a73ba02268a299f5e02e7f32bcd5c76f71" {
		t.Fatalf("sample differs from the legacy file (%d bytes)", len(SampleCSV))
	}
	res := mustParse(t, SampleCSV)
	if len(res.Customers) != 5 || len(res.Errors) != 0 || res.Rows != 5 {
		t.Fatalf("sample: %d customers, errors %+v", len(res.Customers), res.Errors)
	}
	want := []string{"John Smith +1-555-123-4567 2023-10-15", "Sarah Johnson (555) 234-5678 2023-09-22",
		"Mike Davis 555.345.6789 2023-08-30", "Lisa Wilson +15554567890 2023-11-05", "Tom Brown 555-567-8901 2023-07-18"}
	for i, c := range res.Customers {
		if got := c.Name + " " + c.Phone + " " + c.LastOrderDate.Format(time.DateOnly); got != want[i] || c.Email == nil || c.Notes != nil {
			t.Errorf("customer %d = %q (email %v, notes %v)", i+1, got, c.Email, c.Notes)
		}
	}
}

// The error object keeps the legacy shape and key order (contract §10 oracle, with a phone that is
// still invalid under the fixed rule).
func TestErrorObjectJSON(t *testing.T) {
	in := strings.Replace(SampleCSV, "555.345.6789", "555.345.678", 1)
	res := mustParse(t, in)
	got, err := json.Marshal(res.Errors)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"row":3,"message":"Invalid phone number format","data":{"customer_name":"Mike Davis","phone_number":"555.345.678","last_order_date":"2023-08-30","email":"mike@email.com"}}]`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	empty, _ := json.Marshal(mustParse(t, SampleCSV).Errors)
	if string(empty) != "[]" {
		t.Errorf("no errors encodes as %s", empty)
	}
}

func TestRowRules(t *testing.T) {
	const (
		missing = "Missing required fields: "
		phone   = "Invalid phone number format"
		date    = "Invalid date format (expected YYYY-MM-DD)"
	)
	cases := []struct {
		name, row, msg string
	}{
		{"valid", "Ann,555-111-2222,2024-02-29,a@x.com, note ", ""},
		{"missing all", " , ,  ,a@x.com", missing + "customer_name, phone_number, last_order_date"},
		{"blank name", "   ,555-111-2222,2024-01-01", missing + "customer_name"},
		{"nbsp-only name", "\u00a0,555-111-2222,2024-01-01", missing + "customer_name"},
		{"missing phone and date", "Ann,,", missing + "phone_number, last_order_date"},
		{"short row", "Ann", missing + "phone_number, last_order_date"},
		{"missing beats bad phone", "Ann,abc,", missing + "last_order_date"},
		{"bad phone beats bad date", "Ann,abc,nope", phone},
		{"dashes only", "Ann,----------,2024-01-01", phone},
		{"parens only", "Ann,+((((((((((,2024-01-01", phone},
		{"nine digits", "Ann,555-111-222,2024-01-01", phone},
		{"ten digits", "Ann,5551112222,2024-01-01", ""},
		{"fifteen digits", "Ann,+123456789012345,2024-01-01", ""},
		{"sixteen digits", "Ann,+1234567890123456,2024-01-01", phone},
		{"letters", "Ann,555-CALL-NOW1,2024-01-01", phone},
		{"plus in the middle", "Ann,555+111-2222,2024-01-01", phone},
		{"two pluses", "Ann,++15551112222,2024-01-01", phone},
		{"extension", "Ann,555-111-2222 x12,2024-01-01", phone},
		{"fullwidth digits", "Ann,５５５１１１２２２２,2024-01-01", phone},
		{"dots", "Ann,555.111.2222,2024-01-01", ""},
		{"parens and spaces", "Ann,+1 (555) 111-2222,2024-01-01", ""},
		{"nbsp", "Ann,555\u00a0111\u00a02222,2024-01-01", ""},
		{"ideographic space", "Ann,555\u3000111\u30002222,2024-01-01", ""},
		{"NEL is not JS whitespace", "Ann,555\u0085111\u00852222,2024-01-01", phone},
		{"tab", "Ann,555\t111\t2222,2024-01-01", ""},
		{"absurdly spaced", "Ann,5 5 5 1 1 1" + strings.Repeat(" ", 40) + "2 2 2 2,2024-01-01", phone},
		{"feb 29 2024", "Ann,5551112222,2024-02-29", ""},
		{"feb 29 2023", "Ann,5551112222,2023-02-29", date},
		{"april 31", "Ann,5551112222,2024-04-31", date},
		{"month 13", "Ann,5551112222,2024-13-01", date},
		{"month 00", "Ann,5551112222,2024-00-10", date},
		{"one-digit month", "Ann,5551112222,2024-1-01", date},
		{"slashes", "Ann,5551112222,2024/01/01", date},
		{"datetime", "Ann,5551112222,2024-01-01T00:00", date},
		{"us format", "Ann,5551112222,01/15/2024", date},
		{"padded date", "Ann,5551112222,  2024-01-01 ", ""},
		{"quoted comma name", `"Doe, Jane",5551112222,2024-01-01`, ""},
		{"escaped quote", `"Jane ""JJ"" Doe",5551112222,2024-01-01`, ""},
		{"empty quoted", `"",5551112222,2024-01-01`, missing + "customer_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := mustParse(t, hdr+c.row+"\n")
			if c.msg == "" {
				if len(res.Customers) != 1 || len(res.Errors) != 0 {
					t.Fatalf("want valid, got errors %+v", res.Errors)
				}
				return
			}
			if len(res.Errors) != 1 || res.Errors[0].Message != c.msg || res.Errors[0].Row != 1 || len(res.Customers) != 0 {
				t.Fatalf("got %+v, want %q", res.Errors, c.msg)
			}
		})
	}
}

func TestValuesAreTrimmedNotNormalised(t *testing.T) {
	res := mustParse(t, hdr+` " Jane ""JJ"" Doe " ,  +1 (555) 111-2222 ,2024-01-01,  a@x.com , `+"\n")
	c := res.Customers[0]
	if c.Name != `Jane "JJ" Doe` || c.Phone != "+1 (555) 111-2222" || *c.Email != "a@x.com" || c.Notes == nil || *c.Notes != "" {
		t.Errorf("%+v email %q notes %v", c, *c.Email, c.Notes)
	}
	if !c.LastOrderDate.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || c.LastOrderDate.Location() != time.UTC {
		t.Errorf("date %v", c.LastOrderDate)
	}
}

func TestOptionalFieldsAreTrimmedOrNull(t *testing.T) {
	tests := []struct {
		name, in           string
		wantEmail, wantNot *string
	}{
		{"no optional columns", "customer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01\n", nil, nil},
		{"whitespace email", "customer_name,phone_number,last_order_date,email\nAnn,5551112222,2024-01-01,   \n", ptr(""), nil},
		{"short row lacks notes", hdr + "Ann,5551112222,2024-01-01,a@x.com\n", ptr("a@x.com"), nil},
		{"both", hdr + "Ann,5551112222,2024-01-01, a@x.com , VIP \n", ptr("a@x.com"), ptr("VIP")},
		{"case-insensitive optional headers", "customer_name,phone_number,last_order_date,EMAIL,Notes\nAnn,5551112222,2024-01-01,a,b\n", ptr("a"), ptr("b")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, tt.in).Customers[0]
			if fmt.Sprint(deref(c.Email)) != fmt.Sprint(deref(tt.wantEmail)) || fmt.Sprint(deref(c.Notes)) != fmt.Sprint(deref(tt.wantNot)) {
				t.Errorf("email %v notes %v", deref(c.Email), deref(c.Notes))
			}
		})
	}
}

func ptr(s string) *string { return &s }

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// Every CSV bug of contract §7.5 (and the §11 rules that came with them), fixed.
func TestLegacyCSVBugsAreFixed(t *testing.T) {
	cases := map[string]string{
		"UTF-8 BOM (Excel)":               "\ufeffcustomer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01\n",
		"BOM and quoted first header":     "\ufeff\"customer_name\",phone_number,last_order_date\nAnn,5551112222,2024-01-01\n",
		"CRLF":                            "customer_name,phone_number,last_order_date\r\nAnn,5551112222,2024-01-01\r\n",
		"CR only (old Mac)":               "customer_name,phone_number,last_order_date\rAnn,5551112222,2024-01-01\r",
		"mixed line endings":              "customer_name,phone_number,last_order_date\r\nAnn,5551112222,2024-01-01\rBob,5551112223,2024-01-01\n",
		"header case and spaces":          " Customer_Name ,PHONE_NUMBER,\tLast_Order_Date\u00a0\nAnn,5551112222,2024-01-01\n",
		"header with spaces for _":        "Customer Name,Phone Number,Last Order Date\nAnn,5551112222,2024-01-01\n",
		"hyphenated header":               "customer-name,phone-number,last-order-date\nAnn,5551112222,2024-01-01\n",
		"blank lines":                     "customer_name,phone_number,last_order_date\n\nAnn,5551112222,2024-01-01\n\n\n",
		"whitespace-only line":            "customer_name,phone_number,last_order_date\n  \t \nAnn,5551112222,2024-01-01\n",
		"row of empty cells (Excel)":      "customer_name,phone_number,last_order_date\n,,\nAnn,5551112222,2024-01-01\n,,\n",
		"blank lines before the header":   "\n\ncustomer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01\n",
		"extra columns":                   "customer_name,phone_number,last_order_date,loyalty_tier\nAnn,5551112222,2024-01-01,gold,extra,more\n",
		"columns in another order":        "last_order_date,email,customer_name,phone_number\n2024-01-01,a@x.com,Ann,5551112222\n",
		"no trailing newline":             "customer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01",
		"quoted header":                   "\"customer_name\",\"phone_number\",\"last_order_date\"\nAnn,5551112222,2024-01-01\n",
		"multi-line quoted notes (CRLF)":  "customer_name,phone_number,last_order_date,notes\r\nAnn,5551112222,2024-01-01,\"line 1\r\nline 2\"\r\n",
		"dotted phone (legacy rejected)":  "customer_name,phone_number,last_order_date\nAnn,555.111.2222,2024-01-01\n",
		"NBSP in phone (legacy accepted)": "customer_name,phone_number,last_order_date\nAnn,555\u00a0111\u00a02222,2024-01-01\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			res := mustParse(t, in)
			if len(res.Errors) != 0 || len(res.Customers) == 0 || res.Customers[0].Name != "Ann" || res.Customers[0].LastOrderDate.IsZero() {
				t.Fatalf("%d customers %+v, errors %+v", len(res.Customers), res.Customers, res.Errors)
			}
		})
	}
	// And the legacy acceptances that were bugs are now rejections.
	for _, p := range []string{"----------", "+((((((((((", "          ", "(((())))--"} {
		res := mustParse(t, "customer_name,phone_number,last_order_date\nAnn,\""+p+"\",2024-01-01\n")
		if len(res.Errors) != 1 || res.Errors[0].Message != "Invalid phone number format" && !strings.HasPrefix(res.Errors[0].Message, "Missing") {
			t.Errorf("phone %q: %+v", p, res)
		}
	}
}

func TestMultiLineNotesKeepTheirText(t *testing.T) {
	c := mustParse(t, hdr+"Ann,5551112222,2024-01-01,,\"line 1\nline 2, \"\"quoted\"\"\"\n").Customers[0]
	if *c.Notes != "line 1\nline 2, \"quoted\"" {
		t.Errorf("notes %q", *c.Notes)
	}
}

func TestRowNumberingCountsBlankLines(t *testing.T) {
	// Row N is the N-th line under the header, as in the legacy numbering and the user's spreadsheet,
	// even though blank lines are no longer errors.
	in := "Customer_Name , phone_number,last_order_date\nAnn,bad,2024-01-01\n\nBob,5551112222,2024-01-01\n,,\nCy,5551112222,nope\n"
	res := mustParse(t, in)
	if len(res.Customers) != 1 || len(res.Errors) != 2 || res.Rows != 3 {
		t.Fatalf("%+v", res)
	}
	if res.Errors[0].Row != 1 || res.Errors[1].Row != 5 {
		t.Errorf("rows %d and %d, want 1 and 5", res.Errors[0].Row, res.Errors[1].Row)
	}
	data, _ := json.Marshal(res.Errors[0].Data)
	if string(data) != `{"Customer_Name ":"Ann"," phone_number":"bad","last_order_date":"2024-01-01"}` {
		t.Errorf("data keeps raw names and values in column order: %s", data)
	}
	if v, ok := res.Errors[0].Data.Get(" phone_number"); !ok || v != "bad" {
		t.Errorf("Get = %q %v", v, ok)
	}
}

func TestErrorDataShape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"short row lacks keys", "customer_name,phone_number,last_order_date,email\nAnn\n", `{"customer_name":"Ann"}`},
		{"extra columns left out", "customer_name,phone_number,last_order_date\nAnn,1,2024-01-01,x,y\n", `{"customer_name":"Ann","phone_number":"1","last_order_date":"2024-01-01"}`},
		{"values untrimmed", "customer_name,phone_number,last_order_date\n Ann , 1 ,x\n", `{"customer_name":" Ann ","phone_number":" 1 ","last_order_date":"x"}`},
		{"duplicate header: first place, last value", "customer_name,phone_number,customer_name,last_order_date\nAnn,1,Bob,x\n",
			`{"customer_name":"Bob","phone_number":"1","last_order_date":"x"}`},
		{"escaping", "customer_name,phone_number,last_order_date\n\"<b>\"\"A\\\"\"\",\"1\n2\",\u2028\n",
			`{"customer_name":"<b>\"A\\\"","phone_number":"1\n2","last_order_date":"\u2028"}`},
		{"BOM stripped from the key", "\ufeffcustomer_name,phone_number\nAnn,1\n", `{"customer_name":"Ann","phone_number":"1"}`},
		{"invalid UTF-8 repaired", "customer_name,phone_number,last_order_date\nJos\xe9,1,x\n", `{"customer_name":"Jos` + "\ufffd" + `","phone_number":"1","last_order_date":"x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustParse(t, tt.in)
			if len(res.Errors) != 1 {
				t.Fatalf("%+v", res)
			}
			got, err := json.Marshal(res.Errors[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			// json.Marshal re-escapes HTML characters; compare by meaning and by order.
			var gotAny, wantAny any
			if json.Unmarshal(got, &gotAny) != nil || json.Unmarshal([]byte(tt.want), &wantAny) != nil || fmt.Sprint(gotAny) != fmt.Sprint(wantAny) {
				t.Errorf("data %s, want %s", got, tt.want)
			}
			var back Record
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(back)
			if string(again) != string(got) {
				t.Errorf("round trip %s != %s", again, got)
			}
		})
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, in := range []string{"", "customer_name,phone_number,last_order_date\n", "\ufeff", "\n\n\n", "\r\n", "customer_name,phone_number,last_order_date\n\n,,\n"} {
		res := mustParse(t, in)
		if res.Customers == nil || res.Errors == nil || len(res.Customers) != 0 || len(res.Errors) != 0 || res.Rows != 0 {
			t.Errorf("%q: %+v", in, res)
		}
	}
}

func TestMalformedFiles(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bare quote", hdr + "Ann \"the\" best,5551112222,2024-01-01\n", `line 2: quote inside an unquoted field`},
		{"text after closing quote", hdr + "\"Ann\" x,5551112222,2024-01-01\n", `line 2: unexpected text after a closing quote`},
		{"unterminated quote", hdr + "Ann,\"5551112222,2024-01-01\nBob,1,2\n", `line 2: quoted field is never closed`},
		{"line count through quoted breaks", hdr + "Ann,\"a\nb\",x\nB\"ob,1,2\n", `line 4: quote inside`},
		{"NUL byte (binary or UTF-16 file)", "\xff\xfec\x00u\x00", `NUL byte`},
		{"record too long", hdr + strings.Repeat("a", MaxRecordBytes+1) + "\n", fmt.Sprintf("line 2: record longer than %d bytes", MaxRecordBytes)},
		{"quoted record too long", hdr + "\"" + strings.Repeat("a\n", MaxRecordBytes) + "\"\n", "line 2: record longer"},
		{"too many header columns", strings.Repeat("c,", MaxColumns) + "c\n", fmt.Sprintf("more than %d columns", MaxColumns)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.Is(err, ErrMalformed) || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrMalformed mentioning %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "malformed CSV: line ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_name,phone_number,last_order_date\n")
	for i := range MaxRows {
		fmt.Fprintf(&b, "C%d,5551112222,2024-01-01\n", i)
	}
	res := mustParse(t, b.String())
	if len(res.Customers) != MaxRows {
		t.Fatalf("%d customers", len(res.Customers))
	}
	b.WriteString("\n\n,,\n") // blank rows do not count
	mustParse(t, b.String())
	b.WriteString("One,5551112222,2024-01-01\n")
	if _, err := Parse(strings.NewReader(b.String())); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "more than 100000 rows") {
		t.Errorf("err = %v", err)
	}
}

// countingReader counts what the parser pulled from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestLongLineStopsEarly(t *testing.T) {
	// 50 MB of one line: the parser must give up after MaxRecordBytes, not read or hold it all.
	cr := &countingReader{r: io.LimitReader(repeatByte('a'), 50<<20)}
	_, err := Parse(io.MultiReader(strings.NewReader(hdr), cr))
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v", err)
	}
	if cr.n > 4*MaxRecordBytes {
		t.Errorf("read %d bytes before giving up", cr.n)
	}
}

type repeatByte byte

func (b repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func TestReaderErrorIsNotMalformed(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Parse(io.MultiReader(strings.NewReader(hdr+"Ann,"), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) || errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "read CSV") {
		t.Errorf("err = %v", err)
	}
}

func TestLapsed(t *testing.T) {
	day := func(s string) Customer { d, _ := ParseDate(s); return Customer{Name: s, LastOrderDate: d} }
	list := []Customer{day("2026-10-22"), day("2026-10-23"), day("2025-01-01"), day("2026-11-21"), day("2027-01-01")}
	names := func(cs []Customer) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return strings.Join(out, " ")
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		newYork = time.FixedZone("EST", -5*3600)
	}
	tests := []struct {
		name string
		now  time.Time
		loc  *time.Location
		want string
	}{
		// Oracle probe: exactly 30 days ago is lapsed, 29 days ago is not.
		{"30 days lapsed, 29 not", time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), time.UTC, "2026-10-22 2025-01-01"},
		{"just after midnight", time.Date(2026, 11, 21, 0, 0, 0, 1, time.UTC), time.UTC, "2026-10-22 2025-01-01"},
		{"exactly midnight: cutoff equals the order day, not before", time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), time.UTC, "2025-01-01"},
		{"nil location uses now's", time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), nil, "2026-10-22 2025-01-01"},
		// 19:00 in New York on Nov 20 is 00:00 UTC Nov 21; the cutoff is Oct 21 19:00 local = Oct 21 23:00 UTC.
		{"local calendar", time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), newYork, "2025-01-01"},
	}
	for _, tt := range tests {
		if got := names(Lapsed(list, tt.now, 30, tt.loc)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Lapsed(nil, time.Now(), 30, nil); got == nil || len(got) != 0 {
		t.Errorf("empty list: %v", got)
	}
}

func TestParseDate(t *testing.T) {
	for s, ok := range map[string]bool{
		"2024-02-29": true, "2023-02-29": false, "2024-13-01": false, "0000-01-01": true, "9999-12-31": true,
		"2024-12-32": false, "+024-01-01": false, "2024-01-1 ": false, "": false, "2024-01-01\n": false,
	} {
		if _, got := ParseDate(s); got != ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", s, got, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(SampleCSV)
	f.Add("\ufeffCustomer_Name,Phone_Number,Last_Order_Date\r\nAnn,555-111-2222,2024-02-29\r\n\r\n")
	f.Add("customer_name,phone_number,last_order_date\n\"Doe, \"\"J\"\"\",+1 (555) 111-2222,2023-02-29\n")
	f.Add("customer_name,phone_number,last_order_date,email,notes\rAnn,555.111.2222,2024-01-01,,\"a\rb\"\r")
	f.Add("a,\"b\nc")
	f.Add(",,,\n,,,\n")
	f.Add("customer_name,customer_name,phone_number\nA,B,C\n")
	f.Add("customer_name,phone_number,last_order_date\n\xff\xfe,----------,2024-13-01\n")
	f.Add("x\"y\n")
	f.Add("\"\"\"\"\n\"")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Parse(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if res.Customers == nil || res.Errors == nil {
			t.Fatal("nil slices")
		}
		if len(res.Customers)+len(res.Errors) != res.Rows || res.Rows > MaxRows {
			t.Fatalf("%d customers + %d errors != %d rows", len(res.Customers), len(res.Errors), res.Rows)
		}
		prev := 0
		for _, e := range res.Errors {
			if e.Row <= prev {
				t.Fatalf("error rows must be numbered upward from 1: %+v", res.Errors)
			}
			prev = e.Row
			if !strings.HasPrefix(e.Message, "Missing required fields: ") && e.Message != "Invalid phone number format" &&
				e.Message != "Invalid date format (expected YYYY-MM-DD)" {
				t.Fatalf("unknown message %q", e.Message)
			}
			data, err := json.Marshal(e.Data)
			if err != nil || !json.Valid(data) {
				t.Fatalf("data does not encode: %v %q", err, data)
			}
		}
		for _, c := range res.Customers {
			if c.Name == "" || strings.TrimFunc(c.Name, isJSSpace) != c.Name || strings.TrimFunc(c.Phone, isJSSpace) != c.Phone {
				t.Fatalf("untrimmed customer %+v", c)
			}
			if !ValidPhone(c.Phone) {
				t.Fatalf("invalid phone accepted: %q", c.Phone)
			}
			if d, ok := ParseDate(c.LastOrderDate.Format(time.DateOnly)); !ok || !d.Equal(c.LastOrderDate) {
				t.Fatalf("date %v is not a calendar day at 00:00 UTC", c.LastOrderDate)
			}
		}
		again, err := Parse(strings.NewReader(in))
		if err != nil || !reflect.DeepEqual(again, res) {
			t.Fatal("parsing is not deterministic")
		}
	})
}
