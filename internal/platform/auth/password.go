package auth

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// ErrPasswordTooLong is returned for passwords bcrypt cannot hash whole. The legacy servers (bcryptjs)
// silently ignored every byte after the 72nd; refusing is the honest answer for new passwords.
var ErrPasswordTooLong = errors.New("password is longer than 72 bytes")

// MaxPasswordBytes is bcrypt's input limit.
const MaxPasswordBytes = 72

// HashPassword hashes pw with bcrypt at cost.
func HashPassword(pw string, cost int) (string, error) {
	if len(pw) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Passwords hashes and checks passwords at one bcrypt cost. When there is no stored hash (an unknown
// email), Check still spends one comparison against a dummy hash of the same cost, so response time does
// not reveal which accounts exist.
type Passwords struct {
	cost  int
	dummy func() []byte
}

// NewPasswords returns a Passwords for cost. The dummy hash is made on first use (it costs one hash).
func NewPasswords(cost int) *Passwords {
	return &Passwords{cost: cost, dummy: sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte("timing-equaliser"), cost)
		if err != nil {
			panic(err) // only for a cost outside bcrypt's range, which callers validate
		}
		return h
	})}
}

// Hash hashes pw (see HashPassword).
func (p *Passwords) Hash(pw string) (string, error) { return HashPassword(pw, p.cost) }

// Check reports whether pw matches hash. Hashes made by bcryptjs ($2a$) verify as usual, and a legacy
// password longer than 72 bytes is truncated as bcryptjs did, so such users can still log in. An empty
// hash still spends one comparison at p's cost and returns false.
func (p *Passwords) Check(hash, pw string) bool {
	b := []byte(pw)
	if len(b) > MaxPasswordBytes {
		b = b[:MaxPasswordBytes]
	}
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(p.dummy(), b)
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), b) == nil
}

// defaultPasswords serves CheckPassword at the legacy cost of 10.
var defaultPasswords = NewPasswords(10)

// CheckPassword is Passwords.Check at cost 10, the cost both legacy servers used.
func CheckPassword(hash, pw string) bool { return defaultPasswords.Check(hash, pw) }
