// Package csvimport reads the customer lists restaurants upload for SMS win-back campaigns.
//
// It follows the legacy parser's rules (contract §11): the first line is the header; customer_name,
// phone_number and last_order_date are required, email and notes optional; rows are numbered from 1 at
// the first data row; each bad row becomes an error object {row, message, data} with the legacy
// messages. It fixes the legacy bugs of §7.5:
//   - a UTF-8 BOM is stripped (Excel's "CSV UTF-8" export failed every row);
//   - header names are matched after trimming, case-insensitively, with spaces and hyphens read as
//     underscores (" Customer Name " is customer_name);
//   - blank lines (and rows of empty cells, as spreadsheets export them) are skipped, not error rows;
//     they still count in the row numbering, so "row N" stays the N-th line under the header, as in
//     the legacy numbering and in the user's spreadsheet;
//   - LF, CRLF and lone-CR line endings all work;
//   - phone numbers are checked by their digits (10 to 15) so "555.345.6789" passes and "----------"
//     does not.
//
// The parser streams: memory is bounded per record (MaxRecordBytes) and per file (MaxRows), and no
// input makes it panic. A file that is not CSV (a stray quote, an unterminated quoted field, binary
// data) gives a *ParseError naming the line; a row that is CSV but invalid becomes a RowError.
package csvimport

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits that keep one upload's cost bounded whatever its shape. The upload size itself (2 MB) is the
// caller's limit.
const (
	MaxRows        = 100_000  // non-blank data rows
	MaxColumns     = 256      // header columns
	MaxRecordBytes = 64 << 10 // one record, quoted line breaks included
	maxPhoneRunes  = 40       // generous for "+44 (0) 20 7946 0958"; keeps junk out of the store
)

// ErrMalformed is wrapped by every error about the file itself rather than one of its rows.
var ErrMalformed = errors.New("malformed CSV")

// Customer is a valid row. Name and Phone are trimmed; Phone is otherwise exactly as given (no
// normalisation). Email and Notes are nil when the file has no such column (or the row is short), and
// trimmed (possibly "") otherwise.
type Customer struct {
	Name          string
	Phone         string
	LastOrderDate time.Time // 00:00 UTC of the given day
	Email         *string
	Notes         *string
}

// RowError is a rejected row, in the legacy shape the client displays.
type RowError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
	Data    Record `json:"data"`
}

// Result is a parsed list. Rows counts the non-blank data rows: Rows == len(Customers)+len(Errors).
// Customers and Errors are never nil, so they encode as [] when empty.
type Result struct {
	Customers []Customer
	Errors    []RowError
	Rows      int
}

// Column names, in the order the legacy "Missing required fields" message lists them.
const (
	colName  = "customer_name"
	colPhone = "phone_number"
	colDate  = "last_order_date"
	colEmail = "email"
	colNotes = "notes"
)

// Legacy error messages (contract §11).
const (
	msgMissing = "Missing required fields: "
	msgPhone   = "Invalid phone number format"
	msgDate    = "Invalid date format (expected YYYY-MM-DD)"
)

// header maps the columns the parser uses to their positions and keeps the raw names for RowError.Data.
type header struct {
	raw   []string
	index map[string]int // normalised name -> first column with that name
	dups  bool           // some raw name repeats (Data then follows JavaScript object rules)
}

// Parse reads a whole customer list. Row problems are reported in Result.Errors; an error return means
// the input could not be read as CSV at all (wrapping ErrMalformed, as a *ParseError) or the reader
// failed (the reader's error, wrapped).
func Parse(r io.Reader) (Result, error) {
	res := Result{Customers: []Customer{}, Errors: []RowError{}}
	rr := newRecordReader(r, MaxRecordBytes)

	var h *header
	row := 0
	for {
		rec, line, err := rr.next()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			var re errRead
			if errors.As(err, &re) {
				return Result{}, fmt.Errorf("read CSV: %w", re.err)
			}
			return Result{}, err
		}
		if h == nil {
			if blank(rec) {
				continue // blank lines before the header are not the header
			}
			if len(rec) > MaxColumns {
				return Result{}, &ParseError{Line: line, Msg: fmt.Sprintf("the header has more than %d columns", MaxColumns)}
			}
			h = newHeader(rec)
			rr.hint = min(len(rec), 32)
			continue
		}
		row++
		if blank(rec) {
			continue
		}
		res.Rows++
		if res.Rows > MaxRows {
			return Result{}, &ParseError{Line: line, Msg: fmt.Sprintf("more than %d rows", MaxRows)}
		}
		c, msg := h.customer(rec)
		if msg != "" {
			res.Errors = append(res.Errors, RowError{Row: row, Message: msg, Data: h.record(rec)})
			continue
		}
		res.Customers = append(res.Customers, c)
	}
}

func newHeader(raw []string) *header {
	h := &header{raw: raw, index: make(map[string]int, len(raw))}
	seen := make(map[string]bool, len(raw))
	for i, name := range raw {
		if seen[name] {
			h.dups = true
		}
		seen[name] = true
		key := normalizeHeader(name)
		if _, dup := h.index[key]; !dup {
			h.index[key] = i
		}
	}
	return h
}

// normalizeHeader makes " Customer_Name ", "CUSTOMER NAME" and "customer-name" one key.
func normalizeHeader(name string) string {
	name = strings.ToLower(strings.TrimFunc(name, isJSSpace))
	return strings.Map(func(r rune) rune {
		if r == '-' || isJSSpace(r) {
			return '_'
		}
		return r
	}, name)
}

// blank reports a record with nothing but whitespace in it: an empty line, or a row of empty cells.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimFunc(f, isJSSpace) != "" {
			return false
		}
	}
	return true
}

// field returns the column's value and whether the row has that column at all.
func (h *header) field(rec []string, key string) (string, bool) {
	i, ok := h.index[key]
	if !ok || i >= len(rec) {
		return "", false
	}
	return rec[i], true
}

// customer validates one row; the first failing rule gives the message.
func (h *header) customer(rec []string) (Customer, string) {
	var vals [3]string
	var missing []string
	for i, k := range [...]string{colName, colPhone, colDate} {
		v, _ := h.field(rec, k)
		vals[i] = strings.TrimFunc(v, isJSSpace)
		if vals[i] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return Customer{}, msgMissing + strings.Join(missing, ", ")
	}
	if !ValidPhone(vals[1]) {
		return Customer{}, msgPhone
	}
	d, ok := ParseDate(vals[2])
	if !ok {
		return Customer{}, msgDate
	}
	c := Customer{Name: vals[0], Phone: vals[1], LastOrderDate: d}
	if v, ok := h.field(rec, colEmail); ok {
		v = strings.TrimFunc(v, isJSSpace)
		c.Email = &v
	}
	if v, ok := h.field(rec, colNotes); ok {
		v = strings.TrimFunc(v, isJSSpace)
		c.Notes = &v
	}
	return c, ""
}

// isJSSpace is JavaScript's \s and String.prototype.trim whitespace: unlike unicode.IsSpace it
// includes U+FEFF and excludes U+0085.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}

// ValidPhone accepts an optional leading +, then digits, whitespace (including Unicode spaces such as
// NBSP), -, (, ) and ., with 10 to 15 digits in all (E.164 allows at most 15). The legacy check counted
// characters instead of digits, so it accepted "----------" and rejected the dots of its own sample.
func ValidPhone(p string) bool {
	if utf8.RuneCountInString(p) > maxPhoneRunes {
		return false
	}
	p = strings.TrimPrefix(p, "+")
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '(' || r == ')' || r == '.' || isJSSpace(r):
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}

// ParseDate reads YYYY-MM-DD as a real calendar day (2023-02-29 and 2024-13-01 are refused, 2024-02-29
// is accepted), at 00:00 UTC.
func ParseDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return time.Time{}, false
		}
	}
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

// Lapsed returns the customers whose last order day (00:00 UTC) is strictly before now minus `days`
// calendar days, the days being subtracted in loc (the legacy server used its local time zone; nil
// means now's own location). With days = 30, an order exactly 30 days ago is lapsed and one 29 days
// ago is not, as in the legacy server. now is a parameter so callers pass their injected clock.
func Lapsed(cs []Customer, now time.Time, days int, loc *time.Location) []Customer {
	if loc != nil {
		now = now.In(loc)
	}
	cutoff := now.AddDate(0, 0, -days)
	out := make([]Customer, 0, len(cs))
	for _, c := range cs {
		if c.LastOrderDate.Before(cutoff) {
			out = append(out, c)
		}
	}
	return out
}

// SampleCSV is the legacy sample customer list, byte for byte (306 bytes, LF, no final newline, sha256
// a211e80f…5c76f71), served verbatim by GET /api/sms-campaigns/sample-csv for compatibility. The
// legacy server rejected its own Mike Davis row (dots in 555.345.6789); our validator accepts it, so
// the sample now gives 5 valid customers and no errors.
const SampleCSV = "customer_name,phone_number,last_order_date,email\n" +
	"John Smith,+1-555-123-4567,2023-10-15,john@email.com\n" +
	"Sarah Johnson,(555) 234-5678,2023-09-22,sarah@email.com\n" +
	"Mike Davis,555.345.6789,2023-08-30,mike@email.com\n" +
	"Lisa Wilson,+15554567890,2023-11-05,lisa@email.com\n" +
	"Tom Brown,555-567-8901,2023-07-18,tom@email.com"
