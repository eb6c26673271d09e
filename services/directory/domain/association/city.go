package association

import (
	"strings"
)

// City is a city where the Dialogue en continu takes place and associations register.
// The sessions service opens cities; the directory learns them from its events.
type City struct{ slug, country string }

// NewCity is a city the platform serves, with the country an association there resides
// in unless it says otherwise.
func NewCity(slug, country string) City { return City{slug: slug, country: country} }

// Cities are the cities open at a moment, for checking a profile.
type Cities []City

// Parse accepts a city slug in any case, if it is one of the cities.
func (cs Cities) Parse(s string) (City, error) {
	slug := strings.ToLower(strings.TrimSpace(s))
	for _, c := range cs {
		if c.slug == slug {
			return c, nil
		}
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.slug
	}
	return City{}, &InvalidInputError{Field: "city",
		Reason: "\"" + s + "\" is not a city of the platform; open cities: " + strings.Join(names, ", ")}
}

// cityOf restores a city from storage, where it was checked when written.
func cityOf(slug string) City { return City{slug: slug} }

// String returns the city's slug.
func (c City) String() string { return c.slug }

// Country returns the ISO 3166-1 code of the city's country ("" for a city restored
// from storage: it is only read when a profile is checked).
func (c City) Country() string { return c.country }

// IsZero reports whether c is no city.
func (c City) IsZero() bool { return c.slug == "" }
