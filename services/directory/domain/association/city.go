package association

import (
	"strings"
)

// City is a city where the Dialogue en continu takes place and associations register.
type City struct{ slug, country string }

// knownCities are the cities the platform serves, in the order they joined, with the
// country an association there resides in unless it says otherwise.
var knownCities = []City{
	{"london", "GB"}, {"geneva", "CH"}, {"brussels", "BE"}, {"paris", "FR"}, {"washington", "US"},
}

// KnownCities lists the cities associations can register in.
func KnownCities() []City { return append([]City(nil), knownCities...) }

// ParseCity accepts a city slug in any case.
func ParseCity(s string) (City, error) {
	slug := strings.ToLower(strings.TrimSpace(s))
	for _, c := range knownCities {
		if c.slug == slug {
			return c, nil
		}
	}
	names := make([]string, len(knownCities))
	for i, c := range knownCities {
		names[i] = c.slug
	}
	return City{}, &InvalidInputError{Field: "city",
		Reason: "\"" + s + "\" is not a city of the platform; known cities: " + strings.Join(names, ", ")}
}

// cityOf restores a city from storage, where it was checked when written.
func cityOf(slug string) City {
	for _, c := range knownCities {
		if c.slug == slug {
			return c
		}
	}
	return City{slug: slug}
}

// String returns the city's slug.
func (c City) String() string { return c.slug }

// Country returns the ISO 3166-1 code of the city's country.
func (c City) Country() string { return c.country }

// IsZero reports whether c is no city.
func (c City) IsZero() bool { return c.slug == "" }
