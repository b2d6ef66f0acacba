package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSampleIsTheLegacyFileAndFullyValid(t *testing.T) {
	sum := sha256.Sum256([]byte(SampleCSV))
	if len(SampleCSV) != 306 || hex.EncodeToString(sum[:]) != "a211e80f674d3209d1c6d91771d299a73ba02268a299f5e02e7f32bcd5c76f71" {
		t.Fatalf("sample differs from the legacy file (%d bytes)", len(SampleCSV))
	}
	res, err := Parse(strings.NewReader(SampleCSV))
	if err != nil || len(res.Customers) != 5 || len(res.Errors) != 0 {
		t.Fatalf("sample: %d customers, %v errors, %v", len(res.Customers), res.Errors, err)
	}
	mike := res.Customers[2]
	if mike.Name != "Mike Davis" || mike.Phone != "555.345.6789" || *mike.Email != "mike@email.com" || mike.Notes != nil {
		t.Fatalf("row 3: %+v", mike)
	}
}

func TestRowRules(t *testing.T) {
	const h = "customer_name,phone_number,last_order_date,email,notes\n"
	cases := []struct {
		name, row, msg string
	}{
		{"valid", "Ann,555-111-2222,2024-02-29,a@x.com, note ", ""},
		{"missing all", " , ,  ,a@x.com", "Missing required fields: customer_name, phone_number, last_order_date"},
		{"blank name", "   ,555-111-2222,2024-01-01", "Missing required fields: customer_name"},
		{"short row", "Ann", "Missing required fields: phone_number, last_order_date"},
		{"dashes only", "Ann,----------,2024-01-01", "Invalid phone number format"},
		{"parens only", "Ann,+((((((((((,2024-01-01", "Invalid phone number format"},
		{"nine digits", "Ann,555-111-222,2024-01-01", "Invalid phone number format"},
		{"sixteen digits", "Ann,+1234567890123456,2024-01-01", "Invalid phone number format"},
		{"letters", "Ann,555-CALL-NOW1,2024-01-01", "Invalid phone number format"},
		{"dots", "Ann,555.111.2222,2024-01-01", ""},
		{"nbsp", "Ann,555\u00a0111\u00a02222,2024-01-01", ""},
		{"feb 29 2023", "Ann,5551112222,2023-02-29", "Invalid date format (expected YYYY-MM-DD)"},
		{"month 13", "Ann,5551112222,2024-13-01", "Invalid date format (expected YYYY-MM-DD)"},
		{"slashes", "Ann,5551112222,2024/01/01", "Invalid date format (expected YYYY-MM-DD)"},
		{"datetime", "Ann,5551112222,2024-01-01T00:00", "Invalid date format (expected YYYY-MM-DD)"},
		{"quoted comma name", `"Doe, Jane",5551112222,2024-01-01`, ""},
		{"escaped quote", `"Jane ""JJ"" Doe",5551112222,2024-01-01`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(h + c.row + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if c.msg == "" {
				if len(res.Customers) != 1 || len(res.Errors) != 0 {
					t.Fatalf("want valid, got errors %+v", res.Errors)
				}
				return
			}
			if len(res.Errors) != 1 || res.Errors[0].Message != c.msg || res.Errors[0].Row != 1 {
				t.Fatalf("got %+v, want %q", res.Errors, c.msg)
			}
		})
	}
}

func TestOptionalFieldsAreTrimmedOrNull(t *testing.T) {
	res, _ := Parse(strings.NewReader("customer_name,phone_number,last_order_date,email\n Ann ,  5551112222 ,2024-01-01,   \n"))
	c := res.Customers[0]
	if c.Name != "Ann" || c.Phone != "5551112222" || c.Email == nil || *c.Email != "" || c.Notes != nil {
		t.Fatalf("%+v", c)
	}
}

func TestLegacyCSVBugsAreFixed(t *testing.T) {
	cases := map[string]string{
		"UTF-8 BOM (Excel)":       "\ufeffcustomer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01\n",
		"CRLF":                    "customer_name,phone_number,last_order_date\r\nAnn,5551112222,2024-01-01\r\n",
		"CR only":                 "customer_name,phone_number,last_order_date\rAnn,5551112222,2024-01-01\r",
		"header case and spaces":  " Customer_Name ,PHONE_NUMBER, Last Order Date\nAnn,5551112222,2024-01-01\n",
		"blank lines":             "customer_name,phone_number,last_order_date\n\nAnn,5551112222,2024-01-01\n\n  \n",
		"blank line with commas":  "customer_name,phone_number,last_order_date\n,,\nAnn,5551112222,2024-01-01\n",
		"extra columns":           "customer_name,phone_number,last_order_date,loyalty_tier\nAnn,5551112222,2024-01-01,gold\n",
		"no trailing newline":     "customer_name,phone_number,last_order_date\nAnn,5551112222,2024-01-01",
		"quoted header":           "\"customer_name\",\"phone_number\",\"last_order_date\"\nAnn,5551112222,2024-01-01\n",
		"multi-line quoted notes": "customer_name,phone_number,last_order_date,notes\nAnn,5551112222,2024-01-01,\"line 1\nline 2\"\n",
		"hyphenated header":       "customer-name,phone-number,last-order-date\nAnn,5551112222,2024-01-01\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(in))
			if err != nil || len(res.Customers) != 1 || len(res.Errors) != 0 {
				t.Fatalf("%d customers, errors %+v, %v", len(res.Customers), res.Errors, err)
			}
		})
	}
}

func TestErrorRowsKeepRawDataAndNumbering(t *testing.T) {
	in := "Customer_Name , phone_number,last_order_date\nAnn,bad,2024-01-01\n\nBob,5551112222,2024-01-01\nCy,5551112222,nope\n"
	res, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Customers) != 1 || len(res.Errors) != 2 {
		t.Fatalf("%+v", res)
	}
	e := res.Errors[0]
	if e.Row != 1 || e.Data["Customer_Name "] != "Ann" || e.Data[" phone_number"] != "bad" {
		t.Fatalf("first error keeps the raw header names: %+v", e)
	}
	if res.Errors[1].Row != 3 {
		t.Fatalf("blank lines do not count as rows: %+v", res.Errors[1])
	}
}

func TestEmptyAndMalformedFiles(t *testing.T) {
	for _, in := range []string{"", "customer_name,phone_number,last_order_date\n", "\ufeff"} {
		res, err := Parse(strings.NewReader(in))
		if err != nil || len(res.Customers) != 0 || len(res.Errors) != 0 {
			t.Fatalf("%q: %+v %v", in, res, err)
		}
	}
	_, err := Parse(strings.NewReader("customer_name,phone_number,last_order_date\nAnn \"the\" best,5551112222,2024-01-01\n"))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bare quote: %v", err)
	}
	_, err = Parse(strings.NewReader("a,\"unterminated\n"))
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("unterminated quote: %v", err)
	}
	_, err = Parse(strings.NewReader(strings.Repeat("c,", MaxColumns) + "c\n"))
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("too many columns: %v", err)
	}
}

func TestLapsedCutoffIsThirtyCalendarDays(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	day := func(s string) Customer { d, _ := ParseDate(s); return Customer{Name: s, LastOrderDate: d} }
	got := Lapsed([]Customer{day("2026-10-22"), day("2026-10-23"), day("2025-01-01"), day("2026-11-21")}, now, 30, time.UTC)
	if len(got) != 2 || got[0].Name != "2026-10-22" || got[1].Name != "2025-01-01" {
		t.Fatalf("lapsed: %+v", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(SampleCSV)
	f.Add("\ufeffCustomer_Name,Phone_Number,Last_Order_Date\r\nAnn,555-111-2222,2024-02-29\r\n\r\n")
	f.Add("customer_name,phone_number,last_order_date\n\"Doe, \"\"J\"\"\",+1 (555) 111-2222,2023-02-29\n")
	f.Add("a,\"b\nc")
	f.Add(",,,\n,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Parse(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		prev := 0
		for _, e := range res.Errors {
			if e.Row <= prev || e.Message == "" {
				t.Fatalf("error rows must be numbered upward with a message: %+v", res.Errors)
			}
			prev = e.Row
		}
		if len(res.Customers)+len(res.Errors) > MaxRows {
			t.Fatalf("more rows than the limit")
		}
		for _, c := range res.Customers {
			if strings.TrimSpace(c.Name) != c.Name || c.Name == "" || !ValidPhone(c.Phone) || c.LastOrderDate.IsZero() {
				t.Fatalf("a customer that breaks the rules: %+v", c)
			}
		}
	})
}
