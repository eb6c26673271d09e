package session

import (
	"fmt"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
)

// MaxOfferHours bounds how long freed seats wait for an answer: two weeks.
const MaxOfferHours = 14 * 24

// Errors of waitlist offers.
var (
	ErrNoOffer = fault.Because(fault.Conflict, "NO_OFFER", "the registration has no seats offered to it")
	// ErrOfferExpired refuses an acceptance after the offer's expiry, even before the
	// expiry is recorded: the seats may already be promised to the next in line.
	ErrOfferExpired = fault.Because(fault.Conflict, "OFFER_EXPIRED", "the offer has expired: its seats went to the next in the waitlist")
)

func checkOfferHours(h int) error {
	if h < 0 || h > MaxOfferHours {
		return &InvalidInputError{Field: "offerHours", Reason: fmt.Sprintf("between 0 (promote at once) and %d hours", MaxOfferHours)}
	}
	return nil
}

// offerExpiry is when an offer made at now expires, ok false when freed seats are to be
// promoted at once instead: offers are off, or the registration deadline has passed (the
// list is closed; seats freed on the day go in order, as the coordinator has the list).
// An offer never outlasts the session's start.
func (s *DialogueSession) offerExpiry(now time.Time) (time.Time, bool) {
	if s.offerHours == 0 || !now.Before(s.timing.Deadline) {
		return time.Time{}, false
	}
	expires := now.Add(time.Duration(s.offerHours) * time.Hour)
	if expires.After(s.timing.Start) {
		expires = s.timing.Start
	}
	return expires.UTC(), true
}

// ChangeWaitlistOffers sets how long freed seats are offered to the head of the
// waitlist; zero promotes it at once. Offers already made keep their expiry.
func (s *DialogueSession) ChangeWaitlistOffers(by events.Actor, hours int, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	if s.status == StatusCancelled {
		return ErrCancelled
	}
	if err := checkOfferHours(hours); err != nil {
		return err
	}
	if hours == s.offerHours {
		return nil
	}
	s.record(sessionevents.WaitlistOffersChanged{SessionID: s.id, OfferHours: hours, At: now.UTC()})
	return nil
}

// offered finds a registration with seats offered, checking who asks: its association,
// a coordinator of the city or an admin.
func (s *DialogueSession) offered(by events.Actor, registrationID string) (*registration, error) {
	r := s.registration(registrationID)
	switch {
	case !by.IsAuthenticated():
		return nil, ErrNeedsSignIn
	case r == nil:
		return nil, ErrRegistrationNotFound
	case !(by.IsAdmin() || by.CoordinatesCity(s.city) || by.SpeaksFor(r.associationID)):
		return nil, ErrRegistrationForbidden
	case s.status == StatusCancelled:
		return nil, ErrCancelled
	case r.status == OfferExpired:
		return nil, ErrOfferExpired
	case r.status != Offered:
		return nil, ErrNoOffer
	}
	return r, nil
}

// AcceptOffer takes the seats offered: the registration is confirmed. Too late once the
// offer has expired, whether or not its expiry is recorded yet.
func (s *DialogueSession) AcceptOffer(by events.Actor, registrationID string, now time.Time) error {
	r, err := s.offered(by, registrationID)
	if err != nil {
		return err
	}
	if !now.Before(r.offerExpires) {
		return ErrOfferExpired
	}
	s.record(sessionevents.WaitlistOfferAccepted{SessionID: s.id, RegistrationID: r.id, At: now.UTC()})
	return nil
}

// DeclineOffer turns the seats offered down: the registration leaves the waitlist, and
// the waitlist policy offers them to the next.
func (s *DialogueSession) DeclineOffer(by events.Actor, registrationID string, now time.Time) error {
	r, err := s.offered(by, registrationID)
	if err != nil {
		return err
	}
	s.record(sessionevents.WaitlistOfferDeclined{SessionID: s.id, RegistrationID: r.id, At: now.UTC()})
	return nil
}

// ExpireOffers ends the offers whose time is up at now; the waitlist policy then offers
// their seats to the next. It is the offer timer's command, idempotent: with no offer
// due it records nothing. It returns the registrations whose offers expired.
func (s *DialogueSession) ExpireOffers(now time.Time) []string {
	var expired []string
	for _, r := range s.regs {
		if r.status == Offered && !now.Before(r.offerExpires) {
			s.record(sessionevents.WaitlistOfferExpired{SessionID: s.id, RegistrationID: r.id, At: now.UTC()})
			expired = append(expired, r.id)
		}
	}
	return expired
}

// Offer is a waitlist offer outstanding.
type Offer struct {
	RegistrationID string
	ExpiresAt      time.Time
}

// Offers are the offers outstanding, in waitlist order.
func (s *DialogueSession) Offers() []Offer {
	var out []Offer
	for _, r := range s.regs {
		if r.status == Offered {
			out = append(out, Offer{RegistrationID: r.id, ExpiresAt: r.offerExpires})
		}
	}
	return out
}

// OfferHours is how long freed seats are offered; zero promotes at once.
func (s *DialogueSession) OfferHours() int { return s.offerHours }

func (s *DialogueSession) offeredSeats() int {
	n := 0
	for _, r := range s.regs {
		if r.status == Offered {
			n += r.seats
		}
	}
	return n
}

func (s *DialogueSession) applyOffer(ev any) error {
	var (
		id     string
		status RegistrationStatus
	)
	switch e := ev.(type) {
	case sessionevents.WaitlistOfferMade:
		r := s.registration(e.RegistrationID)
		if r == nil || r.status != Waitlisted {
			return fmt.Errorf("offer to %s, which is not waitlisted", e.RegistrationID)
		}
		r.status, r.offerExpires = Offered, e.ExpiresAt
		return nil
	case sessionevents.WaitlistOfferAccepted:
		id, status = e.RegistrationID, Confirmed
	case sessionevents.WaitlistOfferDeclined:
		id, status = e.RegistrationID, OfferDeclined
	case sessionevents.WaitlistOfferExpired:
		id, status = e.RegistrationID, OfferExpired
	}
	r := s.registration(id)
	if r == nil || r.status != Offered {
		return fmt.Errorf("answer to an offer %s never made", id)
	}
	r.status, r.offerExpires = status, time.Time{}
	return nil
}
