package momentum

import (
	"strings"
	"time"
)

var weekdayCodes = [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// PromoCode builds the campaign's promo code: the first six ASCII letters of the item, upper-cased,
// followed by the weekday of now in loc. The legacy server's table was shifted by one (a Saturday gave
// "SUN"); here a Saturday gives "SAT".
func PromoCode(item string, now time.Time, loc *time.Location) string {
	var b strings.Builder
	for i := 0; i < len(item) && b.Len() < 6; i++ {
		c := item[i]
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c)
		}
	}
	return b.String() + weekdayCodes[now.In(loc).Weekday()]
}
