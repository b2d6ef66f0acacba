package cohortly

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Email identity follows validator.js 13.x (the library express-validator 7 runs), because stored
// emails were written through it: isEmail() with its defaults, then normalizeEmail() with its defaults.
// Login must normalise exactly the same way or existing users could not log in. Lengths are counted
// the way JavaScript counts them (UTF-16 code units) and character classes are tested per UTF-16 unit.

// IsEmail reports whether s passes validator.js isEmail(s) with default options.
func IsEmail(s string) bool {
	if !utf8.ValidString(s) || jsLen(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return false
	}
	user, domain := s[:at], s[at+1:]
	if len(user) > 64 || len(domain) > 254 { // byte lengths (isByteLength)
		return false
	}
	if !isFQDN(domain) {
		return false
	}
	if strings.HasPrefix(user, `"`) {
		// validator slices off the first and the last character without checking the last is a quote.
		u16 := utf16.Encode([]rune(user))
		if len(u16) < 2 {
			return len(u16) == 1 && quotedOK(nil)
		}
		return quotedOK(u16[1 : len(u16)-1])
	}
	for _, part := range strings.Split(user, ".") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !userChar(r) {
				return false
			}
		}
	}
	return true
}

// userChar is emailUserUtf8Part: [a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF] /i.
// A rune above U+FFFF is a surrogate pair in JavaScript, and surrogates are outside every range.
func userChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r):
		return true
	}
	return bmpUTF8Range(r)
}

func bmpUTF8Range(r rune) bool {
	return r >= 0xA1 && r <= 0xD7FF || r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFEF
}

// quotedOK is quotedEmailUserUtf8 over UTF-16 units:
// ^([\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e<utf8>]|(\\[\x01-\x09\x0b\x0c\x0d-\x7f<utf8>]))*$
func quotedOK(u []uint16) bool {
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c == '\\' && i+1 < len(u) {
			n := rune(u[i+1])
			if n >= 0x01 && n <= 0x09 || n == 0x0b || n == 0x0c || n >= 0x0d && n <= 0x7f || bmpUTF8Range(n) {
				i++
				continue
			}
		}
		switch {
		case jsSpace(c), c >= 0x01 && c <= 0x08, c == 0x0b, c == 0x0c, c >= 0x0e && c <= 0x1f, c == 0x7f,
			c == 0x21, c >= 0x23 && c <= 0x5b, c >= 0x5d && c <= 0x7e, bmpUTF8Range(c):
			continue
		}
		return false
	}
	return true
}

// isFQDN is validator.js isFQDN with default options (require_tld, no underscores, no trailing dot,
// no numeric TLD).
func isFQDN(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	tld := parts[len(parts)-1]
	if !tldOK(tld) {
		return false
	}
	for _, p := range parts {
		if jsLen(p) > 63 || p == "" {
			return false
		}
		for _, u := range utf16.Encode([]rune(p)) {
			c := rune(u)
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c >= 0xA1
			if !ok || c >= 0xFF01 && c <= 0xFF5E { // full-width characters are refused
				return false
			}
		}
		if p[0] == '-' || p[len(p)-1] == '-' {
			return false
		}
	}
	return true
}

// tldOK: ^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$ /i, no \s.
func tldOK(tld string) bool {
	u := utf16.Encode([]rune(tld))
	letters := len(u) >= 2
	for _, x := range u {
		c := rune(x)
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0xA1 && c <= 0xA8 || c >= 0xAA && c <= 0xD7FF ||
			c >= 0xF900 && c <= 0xFDCF || c >= 0xFDF0 && c <= 0xFFEF) {
			letters = false
			break
		}
	}
	if !letters {
		lower := strings.ToLower(tld)
		if len(u) < 4 || !strings.HasPrefix(lower, "xn") {
			return false
		}
		for _, c := range lower[2:] {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
		// `/i` with "xn": only ASCII letters fold onto [a-z], so lower-casing first is exact.
		for _, c := range tld[2:] {
			if c > 0x7f {
				return false
			}
		}
	}
	for _, x := range u {
		if jsSpace(rune(x)) {
			return false
		}
	}
	return true
}

// jsSpace is JavaScript's \s.
func jsSpace(c rune) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return c >= 0x2000 && c <= 0x200A
}

func jsLen(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
	}
	return n
}

var (
	icloudDomains  = set("icloud.com", "me.com")
	outlookDomains = set("hotmail.at", "hotmail.be", "hotmail.ca", "hotmail.cl", "hotmail.co.il", "hotmail.co.nz",
		"hotmail.co.th", "hotmail.co.uk", "hotmail.com", "hotmail.com.ar", "hotmail.com.au", "hotmail.com.br",
		"hotmail.com.gr", "hotmail.com.mx", "hotmail.com.pe", "hotmail.com.tr", "hotmail.com.vn", "hotmail.cz",
		"hotmail.de", "hotmail.dk", "hotmail.es", "hotmail.fr", "hotmail.hu", "hotmail.id", "hotmail.ie",
		"hotmail.in", "hotmail.it", "hotmail.jp", "hotmail.kr", "hotmail.lv", "hotmail.my", "hotmail.ph",
		"hotmail.pt", "hotmail.sa", "hotmail.sg", "hotmail.sk", "live.be", "live.co.uk", "live.com",
		"live.com.ar", "live.com.mx", "live.de", "live.es", "live.eu", "live.fr", "live.it", "live.nl",
		"msn.com", "outlook.at", "outlook.be", "outlook.cl", "outlook.co.il", "outlook.co.nz", "outlook.co.th",
		"outlook.com", "outlook.com.ar", "outlook.com.au", "outlook.com.br", "outlook.com.gr", "outlook.com.pe",
		"outlook.com.tr", "outlook.com.vn", "outlook.cz", "outlook.de", "outlook.dk", "outlook.es", "outlook.fr",
		"outlook.hu", "outlook.id", "outlook.ie", "outlook.in", "outlook.it", "outlook.jp", "outlook.kr",
		"outlook.lv", "outlook.my", "outlook.ph", "outlook.pt", "outlook.sa", "outlook.sg", "outlook.sk",
		"passport.com")
	yahooDomains  = set("rocketmail.com", "yahoo.ca", "yahoo.co.uk", "yahoo.com", "yahoo.de", "yahoo.fr", "yahoo.in", "yahoo.it", "ymail.com")
	yandexDomains = set("yandex.ru", "yandex.ua", "yandex.kz", "yandex.com", "yandex.by", "ya.ru")
)

func set(vals ...string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// NormalizeEmail is validator.js normalizeEmail(email) with default options. ok is false where
// validator returns false (an empty local part after removing a sub-address).
//
//	John.Doe123+tag@Gmail.com -> johndoe123@gmail.com
func NormalizeEmail(email string) (string, bool) {
	at := strings.LastIndexByte(email, '@')
	user, domain := "", email
	if at >= 0 {
		user, domain = email[:at], email[at+1:]
	}
	domain = jsLower(domain)
	switch {
	case domain == "gmail.com" || domain == "googlemail.com":
		user, _, _ = strings.Cut(user, "+")
		user = removeSingleDots(user)
		if user == "" {
			return "", false
		}
		user = jsLower(user)
		domain = "gmail.com"
	case icloudDomains[domain], outlookDomains[domain]:
		user, _, _ = strings.Cut(user, "+")
		if user == "" {
			return "", false
		}
		user = jsLower(user)
	case yahooDomains[domain]:
		if i := strings.LastIndexByte(user, '-'); i >= 0 {
			user = user[:i]
		}
		if user == "" {
			return "", false
		}
		user = jsLower(user)
	case yandexDomains[domain]:
		user = jsLower(user)
		domain = "yandex.ru"
	default:
		user = jsLower(user)
	}
	if at < 0 {
		// validator joins [user, domain] even without "@": "" + "@" + domain.
		return "@" + domain, true
	}
	return user + "@" + domain, true
}

// removeSingleDots is user.replace(/\.+/g, m => m.length > 1 ? m : ""): lone dots go, runs stay.
func removeSingleDots(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '.' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '.' {
			j++
		}
		if j-i > 1 {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// jsLower is String.prototype.toLowerCase: Unicode default lower-casing, including the unconditional
// special case of U+0130 (İ -> i̇) and the final-sigma rule, which Go's ToLower does not apply.
func jsLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
			continue
		case 0x3A3:
			if finalSigma(rs, i) {
				b.WriteRune(0x3C2)
				continue
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// finalSigma: preceded by a cased letter and not followed by one (skipping case-ignorable marks).
func finalSigma(rs []rune, i int) bool {
	before := false
	for j := i - 1; j >= 0; j-- {
		if caseIgnorable(rs[j]) {
			continue
		}
		before = cased(rs[j])
		break
	}
	if !before {
		return false
	}
	for j := i + 1; j < len(rs); j++ {
		if caseIgnorable(rs[j]) {
			continue
		}
		return !cased(rs[j])
	}
	return true
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
}

func caseIgnorable(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) || r == '\'' || r == '.' || r == ':' || r == 0xB7 || r == 0x2019
}
