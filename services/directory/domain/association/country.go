package association

import (
	"passerelle.dev/kernel/countries"
)

// CountryCode is an ISO 3166-1 alpha-2 country code, upper case.
type CountryCode struct{ code string }

// CountryCodes lists every code ParseCountryCode accepts, sorted.
func CountryCodes() []CountryCode {
	all := countries.All()
	out := make([]CountryCode, len(all))
	for i, c := range all {
		out[i] = CountryCode{c}
	}
	return out
}

// ParseCountryCode accepts an ISO 3166-1 alpha-2 code in any case.
func ParseCountryCode(s string) (CountryCode, error) {
	code, ok := countries.Normalize(s)
	if !ok {
		return CountryCode{}, &InvalidInputError{Field: "country",
			Reason: "\"" + s + "\" is not an ISO 3166-1 alpha-2 country code (such as SN, GH, MA)"}
	}
	return CountryCode{code}, nil
}

// String returns the code.
func (c CountryCode) String() string { return c.code }

// Name returns the country's English name.
func (c CountryCode) Name() string { return countries.Name(c.code) }
