package testenv

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
)

// NodeSign signs a token byte for byte as the legacy servers' jsonwebtoken 9 does with
// jwt.sign(payload, secret, {expiresIn}): header {"alg":"HS256","typ":"JWT"}, the payload's keys in
// their order followed by iat and exp (whole seconds). payload is a JSON object, e.g.
// `{"id":"…","email":"…","role":"ADMIN"}`.
func NodeSign(secret, payload string, iat time.Time, expiresIn time.Duration) string {
	body := strings.TrimSpace(payload)
	if !strings.HasSuffix(body, "}") {
		panic("NodeSign: payload must be a JSON object")
	}
	sep := ","
	if strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(body, "{"), "}")) == "" {
		sep = ""
	}
	body = fmt.Sprintf(`%s%s"iat":%d,"exp":%d}`, strings.TrimSuffix(body, "}"), sep, iat.Unix(), iat.Add(expiresIn).Unix())
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(body))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(m.Sum(nil))
}

// NodeVerify checks a token as the legacy servers' jwt.verify(token, secret) does (jsonwebtoken 9 with
// a string secret: HS256, HS384 or HS512; exp and nbf checked, no clock tolerance) and returns its
// payload, which the legacy servers then trust as the caller (req.user).
func NodeVerify(token, secret string, now time.Time) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("jwt malformed")
	}
	enc := base64.RawURLEncoding
	hb, err := enc.DecodeString(parts[0])
	if err != nil {
		return nil, errors.New("invalid token")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(hb, &header); err != nil {
		return nil, errors.New("invalid token")
	}
	var h func() hash.Hash
	switch header.Alg {
	case "HS256":
		h = sha256.New
	case "HS384":
		h = sha512.New384
	case "HS512":
		h = sha512.New
	default:
		return nil, errors.New("invalid algorithm")
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("invalid signature")
	}
	m := hmac.New(h, []byte(secret))
	m.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, m.Sum(nil)) {
		return nil, errors.New("invalid signature")
	}
	pb, err := enc.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("invalid token")
	}
	var payload map[string]any
	if err := json.Unmarshal(pb, &payload); err != nil {
		return nil, errors.New("invalid token")
	}
	ts := float64(now.Unix())
	if nbf, ok := payload["nbf"].(float64); ok && ts < nbf {
		return nil, errors.New("jwt not active")
	}
	if exp, ok := payload["exp"]; ok {
		e, isNum := exp.(float64)
		if !isNum {
			return nil, errors.New("invalid exp value")
		}
		if ts >= e {
			return nil, errors.New("jwt expired")
		}
	}
	return payload, nil
}
