package money_test

import (
	"testing"

	"passerelle.dev/events/money"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		amount, currency string
		want             money.Money
		ok               bool
	}{
		{"12500", "eur", money.Money{Amount: 1250000, Currency: "EUR"}, true},
		{"12500.5", "EUR", money.Money{Amount: 1250050, Currency: "EUR"}, true},
		{"0.01", "GBP", money.Money{Amount: 1, Currency: "GBP"}, true},
		{"5000000", "XOF", money.Money{Amount: 5000000, Currency: "XOF"}, true}, // no minor unit
		{"12.5", "XOF", money.Money{}, false},
		{"12.505", "EUR", money.Money{}, false},
		{"-5", "EUR", money.Money{}, false},
		{"5.", "EUR", money.Money{}, false},
		{"", "EUR", money.Money{}, false},
		{"1e3", "EUR", money.Money{}, false},
		{"99999999999999999999", "EUR", money.Money{}, false},
		{"10", "EURO", money.Money{}, false},
		{"10", "XXX", money.Money{}, false},
	} {
		got, err := money.Parse(c.amount, c.currency)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Parse(%q, %q) = %+v, %v", c.amount, c.currency, got, err)
		}
	}
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	for m, want := range map[money.Money]string{
		{Amount: 1250050, Currency: "EUR"}: "12500.50",
		{Amount: 5, Currency: "EUR"}:       "0.05",
		{Amount: 5000000, Currency: "XOF"}: "5000000",
		{Amount: 1234, Currency: "KWD"}:    "1.234",
	} {
		if got := m.Decimal(); got != want {
			t.Errorf("%+v: %s, want %s", m, got, want)
		}
	}
}
