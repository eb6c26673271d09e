package association

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"passerelle.dev/events/directoryevents"
)

// Kind is what sort of organisation an association is.
type Kind struct{ name string }

// Kinds lists every kind, in the order forms show them.
var Kinds = []Kind{
	{"DIASPORA_ASSOCIATION"}, {"NGO"}, {"FAITH_COMMUNITY"}, {"PROFESSIONAL_NETWORK"},
	{"BUSINESS"}, {"UNIVERSITY"}, {"TRADE_UNION"}, {"OTHER"},
}

// KindDiaspora is the kind of an association that did not say.
var KindDiaspora = Kinds[0]

// String returns the kind's name.
func (k Kind) String() string { return k.name }

// Sector is a theme of the dialogue an association works on.
type Sector struct{ name string }

// Sectors lists every sector.
var Sectors = func() []Sector {
	out := make([]Sector, len(directoryevents.Sectors))
	for i, s := range directoryevents.Sectors {
		out[i] = Sector{s}
	}
	return out
}()

// String returns the sector's name.
func (s Sector) String() string { return s.name }

// ParseKind reads a kind name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if k.name == s {
			return k, nil
		}
	}
	return Kind{}, &InvalidInputError{Field: "kind", Reason: fmt.Sprintf("%q is not a kind of organisation", s)}
}

// ParseSector reads a sector name.
func ParseSector(s string) (Sector, error) {
	for _, sec := range Sectors {
		if sec.name == s {
			return sec, nil
		}
	}
	return Sector{}, &InvalidInputError{Field: "sectors", Reason: fmt.Sprintf("%q is not a sector", s)}
}

// Description presents the association in one or more of English, French and Spanish.
type Description = directoryevents.Description

// Limits of a profile.
const (
	MaxAcronymLength     = 20
	MaxDescriptionLength = 5000
	MaxWebsiteLength     = 300
	MaxLanguages         = 20
	MaxMemberCount       = 100_000_000
	FirstYearFounded     = 1800
)

// Profile is what an association says about itself, checked.
type Profile struct {
	Name               Name
	Acronym            string
	Kind               Kind
	OriginCountries    []CountryCode
	City               City
	CountryOfResidence CountryCode
	Sectors            []Sector
	Languages          []string
	Description        Description
	Website            string
	MemberCount        *int
	YearFounded        *int
}

// ProfileInput is a profile as a form sends it: the contract's details, unchecked.
type ProfileInput = directoryevents.ProfileDetails

// NewProfile checks a profile; now bounds the year founded, cities are those open.
func NewProfile(in ProfileInput, now time.Time, cities Cities) (Profile, error) {
	var (
		p   Profile
		err error
	)
	if p.Name, err = NewName(in.Name); err != nil {
		return Profile{}, err
	}
	if p.Acronym, err = parseAcronym(in.Acronym); err != nil {
		return Profile{}, err
	}
	p.Kind = KindDiaspora
	if in.Kind != "" {
		if p.Kind, err = ParseKind(in.Kind); err != nil {
			return Profile{}, err
		}
	}
	if p.OriginCountries, err = parseOrigins(in.OriginCountries); err != nil {
		return Profile{}, err
	}
	if p.City, err = cities.Parse(in.City); err != nil {
		return Profile{}, err
	}
	residence := in.CountryOfResidence
	if residence == "" {
		residence = p.City.Country()
	}
	if p.CountryOfResidence, err = ParseCountryCode(residence); err != nil {
		return Profile{}, withField(err, "countryOfResidence")
	}
	if p.Sectors, err = parseSectors(in.Sectors); err != nil {
		return Profile{}, err
	}
	if p.Languages, err = parseLanguages(in.Languages); err != nil {
		return Profile{}, err
	}
	if p.Description, err = parseDescription(in.Description); err != nil {
		return Profile{}, err
	}
	if p.Website, err = ParseWebsite(in.Website); err != nil {
		return Profile{}, err
	}
	if in.MemberCount != nil {
		if *in.MemberCount < 0 || *in.MemberCount > MaxMemberCount {
			return Profile{}, &InvalidInputError{Field: "memberCount", Reason: fmt.Sprintf("between 0 and %d", MaxMemberCount)}
		}
		n := *in.MemberCount
		p.MemberCount = &n
	}
	if in.YearFounded != nil {
		if *in.YearFounded < FirstYearFounded || *in.YearFounded > now.Year() {
			return Profile{}, &InvalidInputError{Field: "yearFounded", Reason: fmt.Sprintf("a year between %d and %d", FirstYearFounded, now.Year())}
		}
		y := *in.YearFounded
		p.YearFounded = &y
	}
	return p, nil
}

// Input returns the profile as a form would send it: the base an update starts from.
func (p Profile) Input() ProfileInput {
	in := ProfileInput{
		Name: p.Name.String(), Acronym: p.Acronym, Kind: p.Kind.String(), City: p.City.String(),
		CountryOfResidence: p.CountryOfResidence.String(), Languages: slices.Clone(p.Languages),
		Description: p.Description, Website: p.Website, MemberCount: p.MemberCount, YearFounded: p.YearFounded,
	}
	for _, c := range p.OriginCountries {
		in.OriginCountries = append(in.OriginCountries, c.String())
	}
	for _, s := range p.Sectors {
		in.Sectors = append(in.Sectors, s.String())
	}
	return in
}

func parseAcronym(s string) (string, error) {
	a := strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(a) > MaxAcronymLength {
		return "", &InvalidInputError{Field: "acronym", Reason: fmt.Sprintf("at most %d characters", MaxAcronymLength)}
	}
	for _, r := range a {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" &.-'/", r) {
			return "", &InvalidInputError{Field: "acronym", Reason: "letters, digits, spaces and & . - ' / only"}
		}
	}
	return a, nil
}

func parseSectors(in []string) ([]Sector, error) {
	var out []Sector
	for _, s := range in {
		sec, err := ParseSector(s)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, sec) {
			out = append(out, sec)
		}
	}
	return out, nil
}

func parseLanguages(in []string) ([]string, error) {
	if len(in) > MaxLanguages {
		return nil, &InvalidInputError{Field: "languages", Reason: fmt.Sprintf("at most %d languages", MaxLanguages)}
	}
	var out []string
	for _, s := range in {
		tag, err := language.Parse(strings.TrimSpace(s))
		if err != nil || tag == language.Und {
			return nil, &InvalidInputError{Field: "languages", Reason: fmt.Sprintf("%q is not a BCP 47 language tag (such as fr, wo, pt-BR)", s)}
		}
		if t := tag.String(); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func parseDescription(d Description) (Description, error) {
	out := Description{EN: strings.TrimSpace(d.EN), FR: strings.TrimSpace(d.FR), ES: strings.TrimSpace(d.ES)}
	for lang, text := range map[string]string{"en": out.EN, "fr": out.FR, "es": out.ES} {
		if utf8.RuneCountInString(text) > MaxDescriptionLength {
			return Description{}, &InvalidInputError{Field: "description." + lang, Reason: fmt.Sprintf("at most %d characters", MaxDescriptionLength)}
		}
		if strings.IndexFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0 {
			return Description{}, &InvalidInputError{Field: "description." + lang, Reason: "control characters are not allowed"}
		}
	}
	return out, nil
}

// ParseWebsite accepts an http(s) address, adding https:// when no scheme is given,
// and returns it tidied: lower-case host, no trailing slash.
func ParseWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxWebsiteLength {
		return "", &InvalidInputError{Field: "website", Reason: fmt.Sprintf("at most %d characters", MaxWebsiteLength)}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") || u.User != nil {
		return "", &InvalidInputError{Field: "website", Reason: "an http or https address, such as https://ghanacoop.org"}
	}
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.Fragment = ""
	return u.String(), nil
}

// WebsiteKey is a website as compared for duplicates: host without "www.", path, no
// scheme.
func WebsiteKey(website string) string {
	u, err := url.Parse(website)
	if err != nil || website == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") + strings.TrimRight(u.EscapedPath(), "/")
}

// diff lists the fields (GraphQL names) in which q differs from p.
func (p Profile) diff(q Profile) []string { return p.Input().Diff(q.Input()) }
