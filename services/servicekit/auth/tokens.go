// Package auth turns bearer tokens into actors and back. Tokens are JWTs signed with
// HS256 and a secret shared by the gateway and the services, so that a service running as
// its own process checks the caller itself instead of trusting whoever reaches it. Each
// token names the key it was signed with (the JWT header's kid), so that the secret can
// be rotated: a new one signs, the previous ones still verify until their tokens expire.
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
)

// Issuer is the "iss" claim of every Passerelle token.
const Issuer = "passerelle"

// MinSecretBytes is the shortest signing secret accepted: HS256 with less than 256 bits
// of key is guessable.
const MinSecretBytes = 32

// ErrInvalidToken is returned for any token that does not verify. The reason is logged,
// not shown: telling a client why a forged token failed helps the forger.
var ErrInvalidToken = fault.New(fault.Unauthenticated, "invalid or expired token")

type claims struct {
	Role          string `json:"role"`
	City          string `json:"city,omitempty"`
	AssociationID string `json:"associationId,omitempty"`
	Generation    int    `json:"gen,omitempty"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies tokens. It is safe for concurrent use.
type Tokens struct {
	// kid names the signing key; keys holds it and the previous ones, by id.
	kid  string
	keys map[string][]byte
	now  func() time.Time
}

// KeyID names a secret without telling it: the first 16 hexadecimal digits of its
// SHA-256.
func KeyID(secret []byte) string {
	sum := sha256.Sum256(secret)
	return hex.EncodeToString(sum[:8])
}

// NewTokens returns a token service signing with secret; previous secrets still verify
// the tokens they signed (a rotation: sign with the new secret, keep the old ones until
// their tokens have expired).
func NewTokens(secret []byte, previous ...[]byte) (*Tokens, error) {
	t := &Tokens{keys: map[string][]byte{}, now: time.Now}
	for i, s := range append([][]byte{secret}, previous...) {
		if len(s) < MinSecretBytes {
			return nil, fmt.Errorf("token secret %d has %d bytes, need at least %d", i+1, len(s), MinSecretBytes)
		}
		id := KeyID(s)
		if i == 0 {
			t.kid = id
		}
		t.keys[id] = append([]byte(nil), s...)
	}
	return t, nil
}

// key finds the key a token names; a token without kid (signed before tokens named
// their key) is checked with the current one.
func (t *Tokens) key(token *jwt.Token) (any, error) {
	kid, _ := token.Header["kid"].(string)
	if kid == "" {
		kid = t.kid
	}
	k, ok := t.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key %q", kid)
	}
	return k, nil
}

// Issue signs a token for actor, valid for ttl.
func (t *Tokens) Issue(actor events.Actor, ttl time.Duration) (string, error) {
	if err := checkActor(actor); err != nil {
		return "", err
	}
	if ttl <= 0 {
		return "", errors.New("token lifetime must be positive")
	}
	now := t.now()
	c := claims{
		Role:          actor.Role.String(),
		City:          actor.City,
		AssociationID: actor.AssociationID,
		Generation:    actor.KeyGeneration,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   actor.Subject,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header["kid"] = t.kid
	return tok.SignedString(t.keys[t.kid])
}

// Parse verifies a token and returns its actor. Every failure is ErrInvalidToken, wrapped
// with the reason for logs.
func (t *Tokens) Parse(token string) (events.Actor, error) {
	actor, _, err := t.Verify(token)
	return actor, err
}

// Verify is Parse that also says when the token expires: a browser session opened with
// it must not outlive it.
func (t *Tokens) Verify(token string) (events.Actor, time.Time, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, t.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return events.Actor{}, time.Time{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	role, err := events.ParseRole(c.Role)
	if err != nil || role == events.RoleAnonymous || role == events.RoleSystem {
		return events.Actor{}, time.Time{}, fmt.Errorf("%w: role %q", ErrInvalidToken, c.Role)
	}
	actor := events.Actor{Role: role, Subject: c.Subject, City: c.City, AssociationID: c.AssociationID, KeyGeneration: c.Generation}
	if err := checkActor(actor); err != nil {
		return events.Actor{}, time.Time{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	return actor, c.ExpiresAt.Time, nil
}

func checkActor(a events.Actor) error {
	switch a.Role {
	case events.RoleAdmin:
		return nil
	case events.RoleCoordinator:
		if a.City == "" {
			return errors.New("a coordinator token needs a city")
		}
		return nil
	case events.RoleAssociation:
		if a.AssociationID == "" {
			return errors.New("an association token needs an association id")
		}
		return nil
	case events.RoleExpert:
		if a.Subject == "" {
			return errors.New("an expert token needs the expert's id")
		}
		return nil
	case events.RoleInstitution:
		if a.Subject == "" {
			return errors.New("an institution token needs the institution's id")
		}
		return nil
	}
	return fmt.Errorf("no token can be issued for role %s", a.Role)
}

// BearerToken returns the token of an "Authorization: Bearer …" header. ok is false when
// the header is absent; a present but malformed header is an error.
func BearerToken(r *http.Request) (token string, ok bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false, nil
	}
	scheme, token, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false, fmt.Errorf("%w: malformed Authorization header", ErrInvalidToken)
	}
	return strings.TrimSpace(token), true, nil
}

// Authenticate returns the actor of a request: anonymous without a token, the token's
// actor with a valid one, and an error with a broken one — a request that tried to
// authenticate and failed is refused rather than served anonymously.
func (t *Tokens) Authenticate(r *http.Request) (events.Actor, error) {
	token, ok, err := BearerToken(r)
	if err != nil {
		return events.Actor{}, err
	}
	if !ok {
		return events.Anonymous, nil
	}
	return t.Parse(token)
}

type actorKey struct{}

// WithActor returns a context carrying the actor of the current request.
func WithActor(ctx context.Context, a events.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the current request, anonymous if none was set.
func ActorFrom(ctx context.Context) events.Actor {
	a, _ := ctx.Value(actorKey{}).(events.Actor)
	return a
}
