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

// dummyHash is a valid cost-10 hash, compared against when there is no user, so that an unknown email
// costs the same time as a wrong password and the timing no longer tells which emails exist.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("timing-equaliser"), 10)
	if err != nil {
		panic(err)
	}
	return h
})

// CheckPassword reports whether pw matches hash. Hashes made by bcryptjs ($2a$) verify as usual, and a
// legacy password longer than 72 bytes is truncated as bcryptjs did, so such users can still log in.
// An empty hash still spends one bcrypt comparison and returns false.
func CheckPassword(hash, pw string) bool {
	p := []byte(pw)
	if len(p) > MaxPasswordBytes {
		p = p[:MaxPasswordBytes]
	}
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), p)
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), p) == nil
}
