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
	size     int
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

func (rr *recordReader) readByte() (byte, bool, error) {
	b, err := rr.br.ReadByte()
	if errors.Is(err, io.EOF) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, errRead{err}
	}
	return b, true, nil
}

func (rr *recordReader) fail(line int, format string, args ...any) error {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// add appends b to the current field, enforcing the record size limit.
func (rr *recordReader) add(b byte, startLine int) error {
	rr.size++
	if rr.size > rr.maxBytes {
		return rr.fail(startLine, "record longer than %d bytes", rr.maxBytes)
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

// endOfLine consumes the LF of a CRLF pair after b == '\r' and counts the line.
func (rr *recordReader) endOfLine(b byte) error {
	if b == '\r' {
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
	start := rr.line
	b, ok, err := rr.readByte()
	if err != nil {
		return nil, start, err
	}
	if !ok {
		return nil, start, io.EOF
	}
	for {
		// b is the first byte of a field; ok is false at end of input.
		// Spaces before an opening quote (`a, "b, c"`) are layout, as in hand-edited files; before
		// anything else they are data.
		for ok && (b == ' ' || b == '\t') {
			if err := rr.add(b, start); err != nil {
				return nil, start, err
			}
			if b, ok, err = rr.readByte(); err != nil {
				return nil, start, err
			}
		}
		if ok && b == '"' {
			rr.field = rr.field[:0]
			quoteLine := rr.line
			for {
				c, ok2, err := rr.readByte()
				if err != nil {
					return nil, start, err
				}
				if !ok2 {
					return nil, start, rr.fail(quoteLine, "quoted field is never closed")
				}
				if c == '"' {
					d, ok3, err := rr.readByte()
					if err != nil {
						return nil, start, err
					}
					if ok3 && d == '"' {
						if err := rr.add('"', start); err != nil {
							return nil, start, err
						}
						continue
					}
					b, ok = d, ok3
					break
				}
				if c == '\n' || (c == '\r' && !rr.peekIs('\n')) {
					rr.line++
				}
				if err := rr.add(c, start); err != nil {
					return nil, start, err
				}
			}
			for ok && (b == ' ' || b == '\t') {
				if b, ok, err = rr.readByte(); err != nil {
					return nil, start, err
				}
			}
			if ok && b != ',' && b != '\n' && b != '\r' {
				return nil, start, rr.fail(rr.line, `unexpected text after a closing quote (write "" for a quote inside a quoted field)`)
			}
		} else {
			for ok && b != ',' && b != '\n' && b != '\r' {
				if b == '"' {
					return nil, start, rr.fail(rr.line, `quote inside an unquoted field (quote the whole field and write "" for each quote)`)
				}
				if err := rr.add(b, start); err != nil {
					return nil, start, err
				}
				if b, ok, err = rr.readByte(); err != nil {
					return nil, start, err
				}
			}
		}
		rr.endField()
		if !ok {
			return rr.fields, start, nil
		}
		if b == '\n' || b == '\r' {
			if err := rr.endOfLine(b); err != nil {
				return nil, start, err
			}
			return rr.fields, start, nil
		}
		// b == ',': the next field starts with the following byte.
		if b, ok, err = rr.readByte(); err != nil {
			return nil, start, err
		}
	}
}

func (rr *recordReader) peekIs(c byte) bool {
	next, err := rr.br.Peek(1)
	return err == nil && next[0] == c
}
