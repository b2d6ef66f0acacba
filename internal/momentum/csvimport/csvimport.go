// Package csvimport reads the customer lists restaurants upload for SMS win-back campaigns.
//
// It follows the legacy parser's rules (contract §11): the first line is the header; customer_name,
// phone_number and last_order_date are required, email and notes optional; each bad row becomes an
// error object {row, message, data} with the legacy messages. It fixes the legacy bugs of §7.5: a UTF-8
// BOM is stripped, header names are matched without regard to case and surrounding spaces, blank lines
// are skipped instead of becoming error rows, CR-only line endings work, and phone numbers are checked
// by their digits (10 to 15) so dotted numbers pass and "----------" does not.
package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// Limits that keep one upload's cost bounded whatever its shape.
const (
	MaxRows    = 100_000
	MaxColumns = 64
)

// Customer is a valid row. Phone is kept exactly as given (trimmed): it is what the customer wrote.
type Customer struct {
	Name          string
	Phone         string
	LastOrderDate time.Time // 00:00 UTC of the given day
	Email         *string
	Notes         *string
}

// RowError is a rejected row, in the legacy shape the client displays. Data is the raw row keyed by the
// header names as written in the file.
type RowError struct {
	Row     int               `json:"row"`
	Message string            `json:"message"`
	Data    map[string]string `json:"data"`
}

// Result is a parsed list.
type Result struct {
	Customers []Customer
	Errors    []RowError
}

// ErrMalformed wraps problems with the file itself (not with a row): unbalanced quotes, too many rows
// or columns.
var ErrMalformed = errors.New("malformed CSV")

const (
	colName  = "customer_name"
	colPhone = "phone_number"
	colDate  = "last_order_date"
	colEmail = "email"
	colNotes = "notes"
)

// Parse reads a whole customer list. Row problems are reported in Result.Errors; an error return means
// the file could not be read as CSV at all.
func Parse(r io.Reader) (Result, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Result{}, fmt.Errorf("read CSV: %w", err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	// encoding/csv understands LF and CRLF; old Mac exports end lines with a lone CR.
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	raw = bytes.ReplaceAll(raw, []byte("\r"), []byte("\n"))

	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Result{Customers: []Customer{}, Errors: []RowError{}}, nil
	}
	if err != nil {
		return Result{}, malformed(err)
	}
	if len(header) > MaxColumns {
		return Result{}, fmt.Errorf("%w: more than %d columns", ErrMalformed, MaxColumns)
	}
	index := map[string]int{}
	for i, h := range header {
		key := normalizeHeader(h)
		if _, dup := index[key]; !dup {
			index[key] = i
		}
	}
	res := Result{Customers: []Customer{}, Errors: []RowError{}}
	row := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, malformed(err)
		}
		if blank(rec) {
			continue
		}
		row++
		if row > MaxRows {
			return Result{}, fmt.Errorf("%w: more than %d rows", ErrMalformed, MaxRows)
		}
		c, msg := validate(rec, index)
		if msg != "" {
			res.Errors = append(res.Errors, RowError{Row: row, Message: msg, Data: rawData(header, rec)})
			continue
		}
		res.Customers = append(res.Customers, c)
	}
	return res, nil
}

func malformed(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: line %d: %v", ErrMalformed, pe.Line, pe.Err)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// normalizeHeader makes "Customer Name ", "CUSTOMER_NAME" and "customer-name" one key.
func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(h)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func rawData(header, rec []string) map[string]string {
	m := make(map[string]string, len(rec))
	for i, v := range rec {
		if i < len(header) {
			m[header[i]] = v
		}
	}
	return m
}

func field(rec []string, index map[string]int, key string) (string, bool) {
	i, ok := index[key]
	if !ok || i >= len(rec) {
		return "", false
	}
	return rec[i], true
}

func validate(rec []string, index map[string]int) (Customer, string) {
	var missing []string
	vals := map[string]string{}
	for _, k := range []string{colName, colPhone, colDate} {
		v, _ := field(rec, index, k)
		v = strings.TrimSpace(v)
		if v == "" {
			missing = append(missing, k)
		}
		vals[k] = v
	}
	if len(missing) > 0 {
		return Customer{}, "Missing required fields: " + strings.Join(missing, ", ")
	}
	if !ValidPhone(vals[colPhone]) {
		return Customer{}, "Invalid phone number format"
	}
	d, ok := ParseDate(vals[colDate])
	if !ok {
		return Customer{}, "Invalid date format (expected YYYY-MM-DD)"
	}
	c := Customer{Name: vals[colName], Phone: vals[colPhone], LastOrderDate: d}
	if v, ok := field(rec, index, colEmail); ok {
		v = strings.TrimSpace(v)
		c.Email = &v
	}
	if v, ok := field(rec, index, colNotes); ok {
		v = strings.TrimSpace(v)
		c.Notes = &v
	}
	return c, ""
}

// ValidPhone accepts an optional leading +, then digits separated by spaces (any Unicode space), -, (,
// ) or ., with 10 to 15 digits in all (E.164 allows at most 15).
func ValidPhone(p string) bool {
	p = strings.TrimPrefix(p, "+")
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '(' || r == ')' || r == '.' || unicode.IsSpace(r):
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}

// ParseDate reads YYYY-MM-DD as a real calendar day (2023-02-29 is refused), at 00:00 UTC.
func ParseDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return time.Time{}, false
		}
	}
	d, err := time.Parse("2006-01-02", s)
	return d, err == nil
}

// Lapsed returns the customers whose last order is more than `days` days before now: the order day
// (00:00 UTC) strictly before now minus `days` calendar days in loc. An order exactly 30 days ago is
// lapsed, one 29 days ago is not (the legacy rule).
func Lapsed(cs []Customer, now time.Time, days int, loc *time.Location) []Customer {
	cutoff := now.In(loc).AddDate(0, 0, -days)
	out := make([]Customer, 0, len(cs))
	for _, c := range cs {
		if c.LastOrderDate.Before(cutoff) {
			out = append(out, c)
		}
	}
	return out
}

// SampleCSV is the legacy sample customer list, byte for byte (306 bytes, LF, no final newline), so
// the download link keeps serving the same file. Our validator accepts its dotted phone number, which
// the legacy server's own validator rejected.
const SampleCSV = "customer_name,phone_number,last_order_date,email\n" +
	"John Smith,+1-555-123-4567,2023-10-15,john@email.com\n" +
	"Sarah Johnson,(555) 234-5678,2023-09-22,sarah@email.com\n" +
	"Mike Davis,555.345.6789,2023-08-30,mike@email.com\n" +
	"Lisa Wilson,+15554567890,2023-11-05,lisa@email.com\n" +
	"Tom Brown,555-567-8901,2023-07-18,tom@email.com"
