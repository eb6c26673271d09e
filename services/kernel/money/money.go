// Package money holds amounts of money as integers in a currency's minor units (cents,
// centimes; none for the CFA francs or the yen), never as floating point, with the
// currency's ISO 4217 code. Amounts in different currencies are never added up.
//
// Minor units are ISO 4217's (github.com/bojanz/currency keeps the list, with the
// currencies of recent years: VES, SLE, ZWG, XCG), not the digits a locale displays:
// a Lebanese pound has 100 piastres even where prices show none, so "1250.50 LBP" is
// an amount. Until schema version 2 of the events that hold money, amounts were stored
// with display digits; LegacyScale reads them in today's units.
package money

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bojanz/currency"
)

// Money is an amount in minor units of a currency.
type Money struct {
	// Amount is in the currency's minor units: 1250.50 EUR is 125050.
	Amount int64 `json:"amount"`
	// Currency is an ISO 4217 code, e.g. EUR, GBP, XOF.
	Currency string `json:"currency"`
}

// Error says what is wrong with an amount or a currency.
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

// ParseCurrency returns the ISO 4217 code of s, upper-cased, with its number of decimals.
func ParseCurrency(s string) (code string, decimals int, err error) {
	code = strings.ToUpper(strings.TrimSpace(s))
	digits, ok := currency.GetDigits(code)
	if !ok || !currency.IsValid(code) || code == "XXX" || code == "XTS" {
		return "", 0, &Error{Reason: fmt.Sprintf("%q is not an ISO 4217 currency code such as EUR, GBP or XOF", s)}
	}
	return code, int(digits), nil
}

// Parse reads a decimal amount ("12500", "12500.5", "12500.50") in a currency. It
// refuses more decimals than the currency has, negative amounts and amounts beyond
// int64 minor units.
func Parse(amount, cur string) (Money, error) {
	code, decimals, err := ParseCurrency(cur)
	if err != nil {
		return Money{}, err
	}
	a := strings.TrimSpace(amount)
	whole, frac, _ := strings.Cut(a, ".")
	if whole == "" || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") || len(frac) > decimals || strings.Contains(a, ".") && frac == "" {
		return Money{}, &Error{Reason: fmt.Sprintf("%q is not an amount of %s (a positive decimal with at most %d decimals)", amount, code, decimals)}
	}
	frac += strings.Repeat("0", decimals-len(frac))
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Money{}, &Error{Reason: fmt.Sprintf("%s %s is too large", amount, code)}
		}
		return Money{}, &Error{Reason: fmt.Sprintf("%q is not an amount of %s (a positive decimal with at most %d decimals)", amount, code, decimals)}
	}
	return Money{Amount: minor, Currency: code}, nil
}

// Decimals returns the number of minor-unit decimals of the money's currency.
func (m Money) Decimals() int {
	_, d, err := ParseCurrency(m.Currency)
	if err != nil {
		return 2
	}
	return d
}

// Decimal writes the amount as a decimal string in major units: "1250.50".
func (m Money) Decimal() string {
	d := m.Decimals()
	s := strconv.FormatInt(m.Amount, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if d > 0 {
		if len(s) <= d {
			s = strings.Repeat("0", d-len(s)+1) + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String writes the money as "1250.50 EUR".
func (m Money) String() string { return m.Decimal() + " " + m.Currency }

// legacyDigits are the currencies whose minor units the events of schema version 1
// counted differently (display digits, none), with that count: for every other
// currency, version 1's units are today's.
var legacyDigits = map[string]int{
	"AFN": 0, "ALL": 0, "AMD": 0, "COP": 0, "GYD": 0, "IDR": 0, "IQD": 0, "IRR": 0, "KPW": 0, "LAK": 0, "LBP": 0,
	"MGA": 0, "MMK": 0, "MNT": 0, "MUR": 0, "PKR": 0, "RSD": 0, "SOS": 0, "SYP": 0, "TZS": 0, "UZS": 0, "YER": 0,
}

// LegacyScale is what an amount stored with schema version 1's units of cur is
// multiplied by to be in today's (1 for most currencies; 100 for 5000 IDR stored as
// 5000, which is 500000 sen). ok is false when the product would overflow.
func LegacyScale(amount int64, cur string) (int64, bool) {
	old, changed := legacyDigits[strings.ToUpper(cur)]
	if !changed {
		return amount, true
	}
	_, now, err := ParseCurrency(cur)
	if err != nil {
		return amount, true
	}
	for range now - old {
		if amount > math.MaxInt64/10 || amount < math.MinInt64/10 {
			return 0, false
		}
		amount *= 10
	}
	return amount, true
}

// Add adds amounts of one currency, refusing an overflow.
func Add(a, b int64) (int64, bool) {
	if b > 0 && a > math.MaxInt64-b || b < 0 && a < math.MinInt64-b {
		return 0, false
	}
	return a + b, true
}
