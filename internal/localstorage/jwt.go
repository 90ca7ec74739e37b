package localstorage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Claims are what Supabase puts in its JWTs: the API keys carry a role
// (anon, service_role), a user's token also its id (sub) and the audience
// (`supabase start` prints keys with "iss": "supabase-demo", "role" and
// "exp"; GoTrue issues user tokens with "sub", "role": "authenticated",
// "aud": "authenticated").
type Claims struct {
	Issuer   string `json:"iss,omitempty"`
	Subject  string `json:"sub,omitempty"`
	Role     string `json:"role"`
	Audience string `json:"aud,omitempty"`
	Expires  int64  `json:"exp,omitempty"`
	IssuedAt int64  `json:"iat,omitempty"`
}

// Sign returns an HS256 JWT of claims, as Supabase signs its keys and
// tokens with the project's JWT secret.
func Sign(secret []byte, c Claims) (string, error) {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signing := header + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signing + "." + signature(secret, signing), nil
}

func signature(secret []byte, signing string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signing))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verify checks an HS256 token and returns its claims and the raw payload.
// Its errors read as jose's, which Storage answers with (src/http/plugins/
// jwt.ts passes the verifier's message to AccessDenied).
func verify(secret []byte, token string, now time.Time) (Claims, json.RawMessage, error) {
	var c Claims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c, nil, errors.New("Invalid Compact JWS")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(h, &header) != nil {
		return c, nil, errors.New("Invalid Compact JWS")
	}
	if header.Alg != "HS256" {
		return c, nil, errors.New(`"alg" (Algorithm) Header Parameter value not allowed`)
	}
	if !hmac.Equal([]byte(signature(secret, parts[0]+"."+parts[1])), []byte(parts[2])) {
		return c, nil, errors.New("signature verification failed")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return c, nil, errors.New("JWT Claims Set must be a top-level JSON object")
	}
	if c.Expires != 0 && now.Unix() >= c.Expires {
		return c, nil, errors.New(`"exp" claim timestamp check failed`)
	}
	return c, payload, nil
}
