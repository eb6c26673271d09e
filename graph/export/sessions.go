package export

import (
	"fmt"
	"strconv"
	"time"

	"passerelle.dev/graph/readmodel"
)

// Language is the language of a file's headers, statuses and titles: en, fr or es.
type Language string

// The languages of the web app.
const (
	English Language = "en"
	French  Language = "fr"
	Spanish Language = "es"
)

// words are a file's words in each language: the themes (the directory's sectors, as
// the web app names them), column headers, then statuses.
var words = map[Language]map[string]string{
	English: {
		"sector.HEALTH": "Health", "sector.REMITTANCES": "Remittances", "sector.INVESTMENT": "Investment", "sector.SKILLS_CIRCULATION": "Skills circulation", "sector.EDUCATION": "Education", "sector.INTEGRATION": "Integration", "sector.HUMAN_RIGHTS": "Migrants’ rights", "sector.TRADE": "Trade", "sector.RESEARCH": "Research", "sector.CULTURE": "Culture",
		"session": "Session", "sessionId": "Session id", "start": "Start (local time)", "end": "End (local time)",
		"timeZone": "Time zone", "venue": "Venue", "address": "Address", "theme": "Theme", "status": "Status",
		"capacity": "Capacity", "confirmedSeats": "Confirmed seats", "waitlist": "Waiting", "attendedSeats": "Seats used",
		"registrations": "Registrations", "association": "Association", "associationId": "Association id",
		"seats": "Seats", "waitlistPosition": "Place in waitlist", "registeredAt": "Registered at (UTC)",
		"checkedInAt": "Checked in at (local time)",
		"SCHEDULED":   "Scheduled", "HELD": "Held", "CANCELLED": "Cancelled", "CONFIRMED": "Confirmed", "WAITLISTED": "Waitlisted",
		"OFFERED": "Offered seats", "OFFER_DECLINED": "Offer declined", "OFFER_EXPIRED": "Offer expired",
	},
	French: {
		"sector.HEALTH": "Santé", "sector.REMITTANCES": "Transferts de fonds", "sector.INVESTMENT": "Investissement", "sector.SKILLS_CIRCULATION": "Circulation des compétences", "sector.EDUCATION": "Éducation", "sector.INTEGRATION": "Intégration", "sector.HUMAN_RIGHTS": "Droits des migrants", "sector.TRADE": "Commerce", "sector.RESEARCH": "Recherche", "sector.CULTURE": "Culture",
		"session": "Session", "sessionId": "Identifiant de la session", "start": "Début (heure locale)", "end": "Fin (heure locale)",
		"timeZone": "Fuseau horaire", "venue": "Lieu", "address": "Adresse", "theme": "Thème", "status": "Statut",
		"capacity": "Places", "confirmedSeats": "Places confirmées", "waitlist": "En attente", "attendedSeats": "Places occupées",
		"registrations": "Inscriptions", "association": "Association", "associationId": "Identifiant de l'association",
		"seats": "Places", "waitlistPosition": "Rang en liste d'attente", "registeredAt": "Inscrite le (UTC)",
		"checkedInAt": "Arrivée (heure locale)",
		"SCHEDULED":   "Programmée", "HELD": "Tenue", "CANCELLED": "Annulée", "CONFIRMED": "Confirmée", "WAITLISTED": "En liste d'attente",
		"OFFERED": "Places proposées", "OFFER_DECLINED": "Proposition déclinée", "OFFER_EXPIRED": "Proposition expirée",
	},
	Spanish: {
		"sector.HEALTH": "Salud", "sector.REMITTANCES": "Remesas", "sector.INVESTMENT": "Inversión", "sector.SKILLS_CIRCULATION": "Circulación de competencias", "sector.EDUCATION": "Educación", "sector.INTEGRATION": "Integración", "sector.HUMAN_RIGHTS": "Derechos de los migrantes", "sector.TRADE": "Comercio", "sector.RESEARCH": "Investigación", "sector.CULTURE": "Cultura",
		"session": "Sesión", "sessionId": "Identificador de la sesión", "start": "Inicio (hora local)", "end": "Fin (hora local)",
		"timeZone": "Zona horaria", "venue": "Lugar", "address": "Dirección", "theme": "Tema", "status": "Estado",
		"capacity": "Plazas", "confirmedSeats": "Plazas confirmadas", "waitlist": "En espera", "attendedSeats": "Plazas ocupadas",
		"registrations": "Inscripciones", "association": "Asociación", "associationId": "Identificador de la asociación",
		"seats": "Plazas", "waitlistPosition": "Puesto en lista de espera", "registeredAt": "Inscrita el (UTC)",
		"checkedInAt": "Llegada (hora local)",
		"SCHEDULED":   "Programada", "HELD": "Celebrada", "CANCELLED": "Cancelada", "CONFIRMED": "Confirmada", "WAITLISTED": "En lista de espera",
		"OFFERED": "Plazas ofrecidas", "OFFER_DECLINED": "Oferta rechazada", "OFFER_EXPIRED": "Oferta vencida",
	},
}

func (l Language) words() map[string]string {
	if w, ok := words[l]; ok {
		return w
	}
	return words[English]
}

func (l Language) header(keys ...string) []string {
	w := l.words()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = w[k]
	}
	return out
}

// theme is a theme's name, or its code if it has none (a sector added since).
func (l Language) theme(code string) string {
	if name, ok := l.words()["sector."+code]; ok {
		return name
	}
	return code
}

// localTime writes an instant as a spreadsheet reads a date and time, on the city's clocks.
func localTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }

// Status is what a session's status is called at now: a scheduled session that has
// ended was held.
func Status(s readmodel.Session, now time.Time) string {
	if s.Status == "SCHEDULED" && !now.Before(s.End) {
		return "HELD"
	}
	return s.Status
}

// SessionRow is a session with its registrations, for a file of sessions.
type SessionRow struct {
	Session readmodel.Session
	// GlobalID is the session's id as GraphQL gives it.
	GlobalID string
	// Registrations counts those not cancelled.
	Registrations int
}

// Sessions is the file of a city's sessions over a period: one row per session, by start.
func Sessions(lang Language, rows []SessionRow, loc *time.Location, now time.Time) Table {
	w := lang.words()
	t := Table{Header: lang.header("sessionId", "session", "start", "end", "timeZone", "venue", "address", "theme", "status",
		"capacity", "confirmedSeats", "waitlist", "registrations", "attendedSeats")}
	for _, r := range rows {
		s := r.Session
		t.Rows = append(t.Rows, []string{r.GlobalID, s.Title.In(string(lang)), localTime(s.Start, loc), localTime(s.End, loc), s.TimeZone,
			s.Venue.Name, s.Venue.Address, lang.theme(s.Theme), w[Status(s, now)], strconv.Itoa(s.Capacity), strconv.Itoa(s.ConfirmedSeats),
			strconv.Itoa(s.WaitlistLength), strconv.Itoa(r.Registrations), optionalInt(s.AttendedSeats)})
	}
	return t
}

// RegistrationRow is a registration with the association behind it, for a file of a
// session's registrations.
type RegistrationRow struct {
	Registration readmodel.Registration
	// AssociationName and AssociationID are empty when the reader may not see it.
	AssociationName, AssociationID string
}

// Registrations is the file of a session's registrations and attendance, in arrival
// order. It holds what coordinators see on the session's page, and no contact.
func Registrations(lang Language, s readmodel.Session, rows []RegistrationRow, loc *time.Location) Table {
	w := lang.words()
	t := Table{Header: lang.header("session", "start", "association", "associationId", "status", "seats", "waitlistPosition",
		"registeredAt", "checkedInAt", "attendedSeats")}
	title, start := s.Title.In(string(lang)), localTime(s.Start, loc)
	for _, r := range rows {
		g := r.Registration
		place := ""
		if g.Status == "WAITLISTED" && g.WaitlistPosition > 0 {
			place = strconv.Itoa(g.WaitlistPosition)
		}
		checkedIn := ""
		if g.CheckedInAt != nil {
			checkedIn = localTime(*g.CheckedInAt, loc)
		}
		t.Rows = append(t.Rows, []string{title, start, r.AssociationName, r.AssociationID, w[g.Status], strconv.Itoa(g.Seats),
			place, g.RegisteredAt.UTC().Format(time.RFC3339), checkedIn, optionalInt(g.AttendedSeats)})
	}
	return t
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// Filename is a file's name: what it holds, where, and from when, e.g.
// "registrations-brussels-2027-03-20.csv".
func Filename(what, city string, day time.Time, loc *time.Location) string {
	return fmt.Sprintf("%s-%s-%s.csv", what, city, day.In(loc).Format("2006-01-02"))
}
