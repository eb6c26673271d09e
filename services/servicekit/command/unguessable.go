package command

import "strings"

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// Unguessable tells whether an idempotency key has the form of at least 128 random bits,
// as far as its form can tell: a version-4 UUID (122 random bits, what every platform's
// random UUID is), or 22 or more base64url characters (32 or more if they are all hex
// digits) — and none of the marks of a chosen key: few distinct characters, a long
// ascending or descending run, a block repeated.
//
// The thresholds refuse a truly random key with a probability below 10⁻⁹. A key chosen
// by a person with varied characters can still pass: the form cannot tell; clients
// must generate keys, and a replay's answer limits what any key yields (see
// AnswersWithSecret).
func Unguessable(key string) bool {
	if isUUIDv4(key) {
		return distinct(strings.ToLower(strings.ReplaceAll(key, "-", ""))) >= 6 && !patterned(key, 13)
	}
	hex := true
	for _, r := range key {
		if !strings.ContainsRune(base64url, r) {
			return false
		}
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			hex = false
		}
	}
	if hex {
		return len(key) >= 32 && distinct(strings.ToLower(key)) >= 6 && !patterned(key, 13)
	}
	return len(key) >= 22 && distinct(key) >= 9 && !patterned(key, 8)
}

func isUUIDv4(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return s[14] == '4' && strings.ContainsRune("89abAB", rune(s[19]))
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// patterned finds a run of characters in ascending or descending order (abcdefgh,
// 98765432) as long as maxRun — long enough that random keys almost never have one: 8
// among 64 symbols, 13 among the 16 hex digits — or a key that is one block repeated
// (key-1234key-1234).
func patterned(s string, maxRun int) bool {
	run, dir := 1, 0
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		switch {
		case (d == 1 || d == -1) && (d == dir || run == 1):
			run, dir = run+1, d
		case d == 1 || d == -1:
			run, dir = 2, d
		default:
			run, dir = 1, 0
		}
		if run >= maxRun {
			return true
		}
	}
	for size := 1; size <= len(s)/2; size++ {
		if len(s)%size == 0 && strings.Repeat(s[:size], len(s)/size) == s {
			return true
		}
	}
	return false
}
