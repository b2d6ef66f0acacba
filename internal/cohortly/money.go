package cohortly

import (
	"errors"
	"strconv"
	"strings"
)

// Money is a DECIMAL(10,2) amount held exactly as a whole number of cents, so no value read from or
// written to the database is ever rounded through a float.
type Money int64

// MaxMoney is the largest amount DECIMAL(10,2) holds: 99,999,999.99.
const MaxMoney Money = 9_999_999_999

// ErrMoney reports an amount that is not a plain decimal with at most two fraction digits within
// DECIMAL(10,2).
var ErrMoney = errors.New("amount must be a number between 0 and 99999999.99 with at most 2 decimals")

// ParseMoney parses a decimal such as "1999", "1999.5", "1999.00", "-3.25" or "1e3" (the forms a
// database driver or a JSON number may take). More than two significant fraction digits, or a value
// outside DECIMAL(10,2), is ErrMoney.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrMoney
	}
	if strings.ContainsAny(s, "eE") {
		// Exponent forms only come from JSON numbers; normalise them through the exact text of a float
		// only when the result has at most 2 decimals.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, ErrMoney
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return 0, ErrMoney
	}
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	if len(frac) > 2 || len(intPart) > 8 {
		return 0, ErrMoney
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return 0, ErrMoney
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if intPart == "" {
		intPart = "0"
	}
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil || n > int64(MaxMoney) {
		return 0, ErrMoney
	}
	if neg {
		n = -n
	}
	return Money(n), nil
}

// String renders the amount with exactly two decimals ("1999.00"), the form to hand a NUMERIC column.
func (m Money) String() string {
	n := int64(m)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	c := n % 100
	s := strconv.FormatInt(n/100, 10) + "."
	if c < 10 {
		s += "0"
	}
	return sign + s + strconv.FormatInt(c, 10)
}

// Normalized renders the amount without trailing fraction zeros ("1999", "1999.5"), as Prisma's Decimal
// does and as the API sends it (as a JSON number).
func (m Money) Normalized() string {
	s := m.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalJSON writes the amount as a JSON number.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.Normalized()), nil }

// UnmarshalJSON accepts a JSON number or a numeric string.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
