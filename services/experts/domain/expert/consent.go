package expert

import "passerelle.dev/events/expertevents"

// Wording is the current wording version of each purpose's consent: an expert consents
// to the words they were shown, and a consent given to older words stays in force until
// withdrawn — a new wording asks for consent again only where the web app says so.
var Wording = map[string]string{
	expertevents.Processing: "2026-12-processing-1",
	expertevents.Roster:     "2026-12-roster-1",
	expertevents.Contact:    "2026-12-contact-1",
}

// Consent is a consent in force.
type Consent struct {
	Purpose, WordingVersion string
}
