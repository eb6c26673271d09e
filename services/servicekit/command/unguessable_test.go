package command_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/command"
)

func TestRandomKeysAreUnguessable(t *testing.T) {
	for range 10_000 {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		for _, k := range []string{uuid.NewString(), base64.RawURLEncoding.EncodeToString(b), hex.EncodeToString(b)} {
			if !command.Unguessable(k) {
				t.Fatalf("the random key %s was refused", k)
			}
		}
	}
}

func TestChosenKeysAreRefused(t *testing.T) {
	for _, k := range []string{
		"key-12345678",                         // short
		"registration-key-1",                   // short
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",     // one character
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ",           // a run
		"zyxwvutsrqponmlkjihgfedcba",           // a run down
		"key-1234key-1234key-1234",             // a block repeated
		"0123456789abcdef0123456789abcdef",     // hex, a run
		"00000000-0000-4000-8000-000000000000", // a UUID of zeros
		"0190c1f2-7b3a-7cde-8f01-23456789abcd", // a version-7 UUID: 74 random bits
		"3f2a9c1e8b7d4a6f",                     // 64 bits of hex
		"pd7Kq2xZ_Lm9w",                        // 78 bits of base64url
		"not a key, with spaces and ü",         // not base64url
	} {
		if command.Unguessable(k) {
			t.Errorf("the chosen key %q was accepted", k)
		}
	}
}

// Only anonymous requests need unguessable keys: an actor's keys are scoped to the
// actor, whom nobody else can act as.
func TestOnlyAnonymousKeysMustBeRandom(t *testing.T) {
	weak := "retry-00000001"
	_, err := command.Request{IdempotencyKey: weak}.Key("RegisterAssociation", struct{}{})
	if fault.CodeOf(err) != fault.BadUserInput || err != command.ErrGuessableKey {
		t.Fatalf("an anonymous weak key: %v", err)
	}
	admin := events.Actor{Role: events.RoleAdmin, Subject: "admin"}
	if _, err := (command.Request{Actor: admin, IdempotencyKey: weak}).Key("OpenCity", struct{}{}); err != nil {
		t.Fatalf("an admin's key: %v", err)
	}
	if _, err := (command.Request{IdempotencyKey: uuid.NewString()}).Key("RegisterAssociation", struct{}{}); err != nil {
		t.Fatalf("an anonymous random key: %v", err)
	}
}
