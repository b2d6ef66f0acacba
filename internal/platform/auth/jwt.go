// Package auth holds the two security primitives both services share: HS256 JSON Web Tokens and bcrypt
// password hashes. It knows nothing about users or roles.
package auth

import (
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// ErrInvalidToken wraps every reason a token is refused (bad signature, wrong algorithm, expired, no exp,
// malformed), so callers can answer one status without leaking which check failed.
var ErrInvalidToken = errors.New("invalid token")

// JWT signs and verifies HS256 tokens with one secret.
type JWT struct {
	secret []byte
	parser *jwt.Parser
}

// NewJWT returns a signer/verifier. Only HS256 is accepted on verification (the legacy servers also
// accepted HS384/HS512, which widened what a leaked secret could mint), and exp is required.
func NewJWT(secret []byte, clk clock.Clock) *JWT {
	return &JWT{
		secret: secret,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithExpirationRequired(),
			jwt.WithTimeFunc(clk.Now),
		),
	}
}

// Sign returns the compact serialisation of claims signed with HS256.
func (j *JWT) Sign(claims jwt.Claims) (string, error) {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(j.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Parse verifies token and decodes its payload into claims.
func (j *JWT) Parse(token string, claims jwt.Claims) error {
	if _, err := j.parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return j.secret, nil }); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return nil
}
