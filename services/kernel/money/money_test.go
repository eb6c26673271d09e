package money_test

import (
	"testing"

	"passerelle.dev/kernel/money"
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

// TestISOMinorUnits: the currencies diaspora pledges are made in count ISO 4217's minor
// units, not the digits their prices display, and the currencies of recent years are
// known.
func TestISOMinorUnits(t *testing.T) {
	for _, c := range []struct {
		amount, cur string
		minor       int64
	}{
		{"1250.50", "LBP", 125050},
		{"1250.505", "IQD", 1250505},
		{"99.99", "RSD", 9999},
		{"15000.25", "PKR", 1500025},
		{"5000.00", "IDR", 500000},
		{"10.5", "VES", 1050},
		{"10.50", "SLE", 1050},
		{"10.50", "ZWG", 1050},
		{"10.50", "XCG", 1050},
		{"1500", "XOF", 1500},
	} {
		m, err := money.Parse(c.amount, c.cur)
		if err != nil || m.Amount != c.minor {
			t.Errorf("%s %s: %+v %v", c.amount, c.cur, m, err)
		}
	}
	if _, err := money.Parse("1.5", "XOF"); err == nil {
		t.Error("a CFA franc has no minor unit")
	}
}
