package csvimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseError describes why a file cannot be read as CSV at all. It wraps ErrMalformed.
type ParseError struct {
	Line int // physical line (1-based) where the problem is
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("malformed CSV: line %d: %s", e.Line, e.Msg) }

// Unwrap makes every ParseError match ErrMalformed.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// recordReader splits RFC 4180 CSV into records, one byte at a time, without ever holding more than
// one record (at most maxRecordBytes) in memory. It accepts LF, CRLF and lone-CR line endings and is
// strict about quotes: a quote inside an unquoted field, text after a closing quote and an unterminated
// quoted field are errors, because guessing would silently shift columns (a phone into the date).
type recordReader struct {
	br       *bufio.Reader
	line     int // physical line of the next byte
	maxBytes int
	hint     int // expected fields per record, to size each record's slice once
	field    []byte
	fields   []string
	size     int  // bytes of the current record
	start    int  // line the current record started on
	c        byte // the current byte, when more
	more     bool // false at end of input
}

func newRecordReader(r io.Reader, maxBytes int) *recordReader {
	rr := &recordReader{br: bufio.NewReaderSize(r, 64<<10), line: 1, maxBytes: maxBytes, hint: 8}
	// Excel's "CSV UTF-8" starts with a byte order mark; it is encoding, not data.
	if bom, err := rr.br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		rr.br.Discard(3)
	}
	return rr
}

// errRead marks failures of the underlying reader, which are not the file's fault.
type errRead struct{ err error }

func (e errRead) Error() string { return "read CSV: " + e.err.Error() }
func (e errRead) Unwrap() error { return e.err }

// advance reads the next byte into c (more is false at end of input).
func (rr *recordReader) advance() error {
	b, err := rr.br.ReadByte()
	switch {
	case err == nil:
		rr.c, rr.more = b, true
		return nil
	case errors.Is(err, io.EOF):
		rr.c, rr.more = 0, false
		return nil
	}
	return errRead{err}
}

func (rr *recordReader) fail(line int, format string, args ...any) error {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// add appends b to the current field, enforcing the record size limit.
func (rr *recordReader) add(b byte) error {
	rr.size++
	if rr.size > rr.maxBytes {
		return rr.fail(rr.start, "record longer than %d bytes", rr.maxBytes)
	}
	if b == 0 {
		return rr.fail(rr.line, "NUL byte: this does not look like a CSV text file (save it as \"CSV UTF-8\")")
	}
	rr.field = append(rr.field, b)
	return nil
}

func (rr *recordReader) endField() {
	rr.fields = append(rr.fields, strings.ToValidUTF8(string(rr.field), "\uFFFD"))
	rr.field = rr.field[:0]
}

// endOfLine consumes the LF of a CRLF pair after a CR and counts the line.
func (rr *recordReader) endOfLine() error {
	if rr.c == '\r' {
		next, err := rr.br.Peek(1)
		if err == nil && next[0] == '\n' {
			rr.br.ReadByte()
		} else if err != nil && !errors.Is(err, io.EOF) {
			return errRead{err}
		}
	}
	rr.line++
	return nil
}

// next returns the next record and the line it started on, or io.EOF after the last one. A file that
// ends with a line break has no empty record after it.
func (rr *recordReader) next() ([]string, int, error) {
	// A fresh slice per record: callers keep records (error rows keep their raw data).
	rr.fields, rr.field, rr.size = make([]string, 0, rr.hint), rr.field[:0], 0
	rr.start = rr.line
	if err := rr.advance(); err != nil {
		return nil, rr.start, err
	}
	if !rr.more {
		return nil, rr.start, io.EOF
	}
	for {
		if err := rr.readField(); err != nil {
			return nil, rr.start, err
		}
		rr.endField()
		switch {
		case !rr.more:
			return rr.fields, rr.start, nil
		case rr.c != ',':
			return rr.fields, rr.start, rr.endOfLine()
		}
		if err := rr.advance(); err != nil {
			return nil, rr.start, err
		}
	}
}

// readField reads the field starting at the current byte into field and stops at the byte after it:
// a comma, a line break or the end of input.
func (rr *recordReader) readField() error {
	// Spaces before an opening quote (`a, "b, c"`) are layout, as in hand-edited files; before
	// anything else they are data.
	for rr.more && isLayout(rr.c) {
		if err := rr.add(rr.c); err != nil {
			return err
		}
		if err := rr.advance(); err != nil {
			return err
		}
	}
	if rr.more && rr.c == '"' {
		rr.field = rr.field[:0]
		return rr.readQuoted()
	}
	return rr.readUnquoted()
}

// readQuoted reads a quoted field from the byte after its opening quote.
func (rr *recordReader) readQuoted() error {
	quoteLine := rr.line
	for {
		if err := rr.advance(); err != nil {
			return err
		}
		switch {
		case !rr.more:
			return rr.fail(quoteLine, "quoted field is never closed")
		case rr.c == '"':
			closed, err := rr.quoteCloses()
			if err != nil {
				return err
			}
			if closed {
				return rr.afterClosingQuote()
			}
		case rr.c == '\n' || rr.c == '\r' && !rr.peekIs('\n'):
			rr.line++
		}
		if err := rr.add(rr.c); err != nil {
			return err
		}
	}
}

// quoteCloses reads the byte after a quote inside a quoted field and tells whether that quote closed
// the field; if not, the current byte is the second quote of an escaped "".
func (rr *recordReader) quoteCloses() (bool, error) {
	if err := rr.advance(); err != nil {
		return false, err
	}
	return !rr.more || rr.c != '"', nil
}

// afterClosingQuote skips layout spaces after a closing quote; anything but the end of the field is
// an error.
func (rr *recordReader) afterClosingQuote() error {
	for rr.more && isLayout(rr.c) {
		if err := rr.advance(); err != nil {
			return err
		}
	}
	if rr.more && !isFieldEnd(rr.c) {
		return rr.fail(rr.line, `unexpected text after a closing quote (write "" for a quote inside a quoted field)`)
	}
	return nil
}

// readUnquoted reads the rest of an unquoted field.
func (rr *recordReader) readUnquoted() error {
	for rr.more && !isFieldEnd(rr.c) {
		if rr.c == '"' {
			return rr.fail(rr.line, `quote inside an unquoted field (quote the whole field and write "" for each quote)`)
		}
		if err := rr.add(rr.c); err != nil {
			return err
		}
		if err := rr.advance(); err != nil {
			return err
		}
	}
	return nil
}

func isLayout(b byte) bool   { return b == ' ' || b == '\t' }
func isFieldEnd(b byte) bool { return b == ',' || b == '\n' || b == '\r' }

func (rr *recordReader) peekIs(c byte) bool {
	next, err := rr.br.Peek(1)
	return err == nil && next[0] == c
}
