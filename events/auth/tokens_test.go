package auth_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/auth"
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
