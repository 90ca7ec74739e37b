package writeonly

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Fingerprints let the provider tell whether a write-only secret changed
// without keeping the value: each written secret is remembered in the
// resource's private state as a salted, deliberately slow PBKDF2-SHA256
// hash. A fresh random salt per write means equal values never share a
// fingerprint and precomputed tables are useless; the iteration count makes
// guessing a low-entropy secret from a leaked state file expensive.
const (
	fingerprintScheme = "pbkdf2-sha256"
	// Iterations is the PBKDF2 work factor (about 20-40 ms per secret on a
	// laptop core; a plan checks each configured secret once).
	Iterations = 100_000
	saltBytes  = 16
	keyBytes   = 32
)

// Fingerprint returns a new salted fingerprint of value, in the form
// pbkdf2-sha256$<iterations>$<salt>$<hash> (base64, no padding).
func Fingerprint(value string) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	return fingerprint(value, salt, Iterations)
}

func fingerprint(value string, salt []byte, iterations int) (string, error) {
	key, err := pbkdf2.Key(sha256.New, value, salt, iterations, keyBytes)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", fingerprintScheme, iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Matches reports whether value is the one fingerprinted. A malformed
// fingerprint matches nothing, so the secret is written again.
func Matches(value, fp string) bool {
	parts := strings.Split(fp, "$")
	if len(parts) != 4 || parts[0] != fingerprintScheme {
		return false
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations < 1 || iterations > 10_000_000 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	again, err := fingerprint(value, salt, iterations)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(again), []byte(fp)) == 1
}
