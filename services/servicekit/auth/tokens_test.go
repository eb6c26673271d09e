package auth_test

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/auth"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestIssuedTokensParseBackToTheSameActor(t *testing.T) {
	t.Parallel()
	tokens, err := auth.NewTokens(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []events.Actor{
		{Role: events.RoleAdmin, Subject: "admin-1"},
		{Role: events.RoleCoordinator, Subject: "coord-ge", City: "geneva"},
		{Role: events.RoleAssociation, AssociationID: "0190b2f4-0000-7000-8000-000000000001"},
	} {
		tok, err := tokens.Issue(a, time.Hour)
		if err != nil {
			t.Fatalf("issue %v: %v", a.Role, err)
		}
		got, err := tokens.Parse(tok)
		if err != nil {
			t.Fatalf("parse %v: %v", a.Role, err)
		}
		if got != a {
			t.Fatalf("got %+v, want %+v", got, a)
		}
	}
}

func TestBrokenTokensAreRefused(t *testing.T) {
	t.Parallel()
	tokens, _ := auth.NewTokens(secret)
	other, _ := auth.NewTokens([]byte("another-secret-another-secret-!!"))
	good, _ := tokens.Issue(events.Actor{Role: events.RoleAdmin, Subject: "a"}, time.Hour)
	foreign, _ := other.Issue(events.Actor{Role: events.RoleAdmin, Subject: "a"}, time.Hour)

	noneAlg, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"role": "admin", "iss": auth.Issuer, "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	noExpiry, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"role": "admin", "iss": auth.Issuer}).SignedString(secret)
	systemRole, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"role": "system", "iss": auth.Issuer, "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(secret)
	cityless, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"role": "coordinator", "iss": auth.Issuer, "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(secret)

	cases := map[string]string{
		"garbage":             "not-a-token",
		"tampered":            good[:len(good)-2] + "xx",
		"signed elsewhere":    foreign,
		"alg none":            noneAlg,
		"no expiry":           noExpiry,
		"system role":         systemRole,
		"coordinator no city": cityless,
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := tokens.Parse(tok); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("got %v, want ErrInvalidToken", err)
			}
		})
	}
}

func TestExpiredTokensAreRefused(t *testing.T) {
	t.Parallel()
	tokens, _ := auth.NewTokens(secret)
	tok, _ := tokens.Issue(events.Actor{Role: events.RoleAdmin, Subject: "a"}, time.Nanosecond)
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := tokens.Parse(tok); errors.Is(err, auth.ErrInvalidToken) {
			return
		}
	}
	t.Fatal("a token past its expiry still parses")
}

func TestAuthenticateRequest(t *testing.T) {
	t.Parallel()
	tokens, _ := auth.NewTokens(secret)
	tok, _ := tokens.Issue(events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c"}, time.Hour)

	cases := []struct {
		name    string
		header  string
		want    events.Role
		wantErr bool
	}{
		{"no header is anonymous", "", events.RoleAnonymous, false},
		{"valid bearer", "Bearer " + tok, events.RoleCoordinator, false},
		{"lower-case scheme", "bearer " + tok, events.RoleCoordinator, false},
		{"basic auth", "Basic dXNlcjpwYXNz", events.RoleAnonymous, true},
		{"empty bearer", "Bearer  ", events.RoleAnonymous, true},
		{"broken bearer", "Bearer " + strings.Repeat("x", 20), events.RoleAnonymous, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			a, err := tokens.Authenticate(r)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, wantErr %v", err, c.wantErr)
			}
			if err == nil && a.Role != c.want {
				t.Fatalf("role %v, want %v", a.Role, c.want)
			}
		})
	}
}

func TestShortSecretsAreRefused(t *testing.T) {
	t.Parallel()
	if _, err := auth.NewTokens([]byte("short")); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
}

// TestSecretsRotate: a token names its key; after a rotation the new secret signs and the
// previous one still verifies its own tokens, until it is dropped. A token signed before
// tokens named their key is checked with the current secret.
func TestSecretsRotate(t *testing.T) {
	oldSecret := []byte("the-first-secret-of-the-platform-0001")
	newSecret := []byte("the-second-secret-of-the-platform-002")
	actor := events.Actor{Role: events.RoleAdmin, Subject: "a"}
	before, err := auth.NewTokens(oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	old, err := before.Issue(actor, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(old, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(header)
	if !strings.Contains(string(raw), `"kid":"`+auth.KeyID(oldSecret)+`"`) {
		t.Fatalf("the token's header names no key: %s", raw)
	}
	rotating, err := auth.NewTokens(newSecret, oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotating.Parse(old); err != nil || got != actor {
		t.Fatalf("an old token during the rotation: %v %v", got, err)
	}
	fresh, _ := rotating.Issue(actor, time.Hour)
	after, _ := auth.NewTokens(newSecret)
	if _, err := after.Parse(fresh); err != nil {
		t.Fatalf("a new token after the rotation: %v", err)
	}
	if _, err := after.Parse(old); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("an old token once its secret is dropped: %v", err)
	}
	// A token without kid, signed with the current secret.
	legacy := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": auth.Issuer, "role": "admin", "sub": "a",
		"exp": time.Now().Add(time.Hour).Unix()})
	signed, _ := legacy.SignedString(newSecret)
	if _, err := after.Parse(signed); err != nil {
		t.Fatalf("a token without kid: %v", err)
	}
}
