package resolver

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/graph/readmodel"
)

// AssociationFilterInput is the AssociationFilter input.
type AssociationFilterInput struct {
	City               *string
	OriginCountry      *string
	CountryOfResidence *string
	Sector             *string
	Kind               *string
	Language           *string
	Status             *string
	Search             *string
}

// AssociationOrderInput is the AssociationOrder input.
type AssociationOrderInput struct {
	Field     string
	Direction string
}

func (f *AssociationFilterInput) parse() (readmodel.AssociationFilter, error) {
	var out readmodel.AssociationFilter
	if f == nil {
		return out, nil
	}
	if f.City != nil {
		// Checked against the open cities by the caller, which reads them.
		out.City = strings.ToLower(strings.TrimSpace(*f.City))
	}
	for _, country := range []struct {
		in  *string
		out *string
	}{{f.OriginCountry, &out.OriginCountry}, {f.CountryOfResidence, &out.CountryOfResidence}} {
		if country.in != nil {
			c, err := association.ParseCountryCode(*country.in)
			if err != nil {
				return out, err
			}
			*country.out = c.String()
		}
	}
	if f.Language != nil {
		tag, err := language.Parse(*f.Language)
		if err != nil {
			return out, badInput(fmt.Sprintf("%q is not a BCP 47 language tag", *f.Language))
		}
		out.Language = tag.String()
	}
	if f.Search != nil {
		if utf8.RuneCountInString(*f.Search) > MaxSearchLength {
			return out, badInput(fmt.Sprintf("search at most %d characters", MaxSearchLength))
		}
		out.Search = *f.Search
	}
	for _, enum := range []struct {
		in  *string
		out *string
	}{{f.Sector, &out.Sector}, {f.Kind, &out.Kind}, {f.Status, &out.Status}} {
		if enum.in != nil {
			*enum.out = *enum.in // graphql-go checked the enum value
		}
	}
	return out, nil
}
