package association

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CountryCode is an ISO 3166-1 alpha-2 country code, upper case.
type CountryCode struct{ code string }

// officiallyAssigned are the 249 officially assigned ISO 3166-1 alpha-2 codes.
const officiallyAssigned = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

// kosovo is user-assigned in ISO 3166-1 but is the code the European Commission and
// Switzerland use; Kosovar associations are part of the Geneva and Brussels dialogues.
const kosovo = "XK"

var countryCodes = func() map[string]bool {
	m := map[string]bool{kosovo: true}
	for _, c := range strings.Fields(officiallyAssigned) {
		m[c] = true
	}
	return m
}()

// CountryCodes lists every code ParseCountryCode accepts, sorted.
func CountryCodes() []CountryCode {
	out := make([]CountryCode, 0, len(countryCodes))
	for c := range countryCodes {
		out = append(out, CountryCode{c})
	}
	slices.SortFunc(out, func(a, b CountryCode) int { return strings.Compare(a.code, b.code) })
	return out
}

// ParseCountryCode accepts an ISO 3166-1 alpha-2 code in any case.
func ParseCountryCode(s string) (CountryCode, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if !countryCodes[code] {
		return CountryCode{}, &InvalidInputError{Field: "country",
			Reason: "\"" + s + "\" is not an ISO 3166-1 alpha-2 country code (such as SN, GH, MA)"}
	}
	return CountryCode{code}, nil
}

// String returns the code.
func (c CountryCode) String() string { return c.code }

// Name returns the country's English name.
func (c CountryCode) Name() string {
	r, err := language.ParseRegion(c.code)
	if err != nil {
		return c.code
	}
	return display.English.Regions().Name(r)
}
