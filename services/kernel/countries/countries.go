// Package countries knows the ISO 3166-1 alpha-2 country codes every service accepts,
// and their English names.
package countries

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

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

// Kosovo is user-assigned in ISO 3166-1 but is the code the European Commission and
// Switzerland use; Kosovar associations are part of the Geneva and Brussels dialogues.
const Kosovo = "XK"

var codes = func() map[string]bool {
	m := map[string]bool{Kosovo: true}
	for _, c := range strings.Fields(officiallyAssigned) {
		m[c] = true
	}
	return m
}()

// Normalize returns the code of s (any case, spaces trimmed), ok false if s is not an
// accepted code.
func Normalize(s string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(s))
	return code, codes[code]
}

// All lists every accepted code, sorted.
func All() []string {
	out := make([]string, 0, len(codes))
	for c := range codes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Name returns a code's English name.
func Name(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return display.English.Regions().Name(r)
}
