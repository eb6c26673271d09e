package sealing_test

import (
	"bytes"
	"testing"

	"passerelle.dev/kernel/sealing"
)

func TestSealedDataOpensOnlyWithItsKeyAndItsSubject(t *testing.T) {
	t.Parallel()
	key := bytes.Repeat([]byte{7}, 32)
	aead, err := sealing.NewAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := sealing.Seal(aead, []byte("Dr Amina Diallo"), []byte("passerelle/expert/1"))
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := sealing.Open(aead, sealed, []byte("passerelle/expert/1")); err != nil || string(plain) != "Dr Amina Diallo" {
		t.Fatalf("opened %q, %v", plain, err)
	}
	if _, err := sealing.Open(aead, sealed, []byte("passerelle/expert/2")); err == nil {
		t.Fatal("opened for another subject")
	}
	other, _ := sealing.NewAEAD(bytes.Repeat([]byte{8}, 32))
	if _, err := sealing.Open(other, sealed, []byte("passerelle/expert/1")); err == nil {
		t.Fatal("opened with another key")
	}
	if _, err := sealing.NewAEAD(key[:16]); err == nil {
		t.Fatal("a 16-byte key accepted")
	}
}
