package cohortly

import (
	"encoding/json"
	"testing"
)

func TestMoneyRoundTrips(t *testing.T) {
	cases := []struct {
		in         string
		cents      Money
		str, plain string
	}{
		{"1999", 199900, "1999.00", "1999"},
		{"1999.00", 199900, "1999.00", "1999"},
		{"1999.5", 199950, "1999.50", "1999.5"},
		{"0.07", 7, "0.07", "0.07"},
		{"0", 0, "0.00", "0"},
		{"99999999.99", MaxMoney, "99999999.99", "99999999.99"},
		{"1e3", 100000, "1000.00", "1000"},
		{"-3.25", -325, "-3.25", "-3.25"},
		{".5", 50, "0.50", "0.5"},
	}
	for _, c := range cases {
		m, err := ParseMoney(c.in)
		if err != nil || m != c.cents || m.String() != c.str || m.Normalized() != c.plain {
			t.Errorf("ParseMoney(%q) = %d (%q, %q), %v; want %d", c.in, m, m.String(), m.Normalized(), err, c.cents)
		}
	}
	for _, bad := range []string{"", "abc", "1.234", "100000000", "1e20", "1..2", "--1", "1,5", "NaN", "Infinity", "."} {
		if _, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	b, _ := json.Marshal(struct{ P Money }{199950})
	if string(b) != `{"P":1999.5}` {
		t.Errorf("json = %s", b)
	}
}
