package calendar

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/sessions/domain/series"
)

// Routes of the calendar feeds. {file} is "<city slug>.ics" or "<session id>.ics": the
// router's wildcards match whole path segments only.
const (
	CityRoute    = "GET /calendar/{file}"
	SessionRoute = "GET /sessions/{file}"
)

// CityPath is the address of a city's feed.
func CityPath(slug string) string { return "/calendar/" + slug + ".ics" }

// SessionPath is the address of one session's calendar file.
func SessionPath(id string) string { return "/sessions/" + id + ".ics" }

// MaxFeedEvents bounds a city's feed: upcoming sessions, earliest first.
const MaxFeedEvents = 500

// Reader is what the feeds read: cities and sessions from the gateway's read models.
type Reader interface {
	City(ctx context.Context, slug string) (readmodel.City, bool, error)
	Session(ctx context.Context, id string) (readmodel.Session, bool, error)
	Upcoming(ctx context.Context, city string, since time.Time, limit int) ([]readmodel.Session, error)
	Series(ctx context.Context, id string) (readmodel.SessionSeries, bool, error)
	SessionsOf(ctx context.Context, seriesID string) ([]readmodel.Session, error)
}

// Handler serves the feeds. Sessions are public, so are their calendars; who registered
// is never in them.
type Handler struct {
	reader Reader
	now    func() time.Time
	logger *slog.Logger
}

// NewHandler returns the feeds' handler. now defaults to time.Now.
func NewHandler(reader Reader, now func() time.Time, logger *slog.Logger) *Handler {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{reader: reader, now: now, logger: logger}
}

// Register adds the feeds' routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(CityRoute, h.serveCity)
	mux.HandleFunc(SessionRoute, h.serveSession)
}

func icsName(r *http.Request) (string, bool) {
	return strings.CutSuffix(r.PathValue("file"), ".ics")
}

func (h *Handler) serveCity(w http.ResponseWriter, r *http.Request) {
	slug, ok := icsName(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	city, found, err := h.reader.City(r.Context(), slug)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !found {
		http.Error(w, "no such city", http.StatusNotFound)
		return
	}
	loc, err := time.LoadLocation(city.TimeZone)
	if err != nil {
		h.fail(w, r, fmt.Errorf("city %s: %w", slug, err))
		return
	}
	now := h.now()
	sessions, err := h.reader.Upcoming(r.Context(), slug, now, MaxFeedEvents)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	feed := Feed{Name: "Dialogue en continu — " + city.Name, Location: loc}
	seen := map[string]bool{}
	for _, s := range sessions {
		if s.SeriesID == nil {
			feed.Events = append(feed.Events, eventOf(s, language(r)))
			continue
		}
		if seen[*s.SeriesID] {
			continue
		}
		seen[*s.SeriesID] = true
		evs, err := h.seriesEvents(r.Context(), *s.SeriesID, loc, language(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		feed.Events = append(feed.Events, evs...)
	}
	h.write(w, r, feed, now, slug+".ics")
}

func (h *Handler) serveSession(w http.ResponseWriter, r *http.Request) {
	id, ok := icsName(r)
	if _, err := uuid.Parse(id); !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	s, found, err := h.reader.Session(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !found {
		http.Error(w, "no such session", http.StatusNotFound)
		return
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		h.fail(w, r, fmt.Errorf("session %s: %w", id, err))
		return
	}
	feed := Feed{Name: "Dialogue en continu", Location: loc, Events: []Event{eventOf(s, language(r))}}
	h.write(w, r, feed, h.now(), "session-"+id+".ics")
}

// write encodes the feed, with an ETag so calendar programs polling it get 304 while
// nothing changed: every change of a session raises its SEQUENCE, so the events' UIDs
// and sequences (with the feed's name, zone and language) tell a feed's version.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, feed Feed, now time.Time, filename string) {
	tag := sha256.New()
	fmt.Fprintf(tag, "%s\n%s\n%s\n", feed.Name, feed.Location, language(r))
	for _, e := range feed.Events {
		fmt.Fprintf(tag, "%s %d\n", e.UID, e.Sequence)
	}
	etag := `"` + hex.EncodeToString(tag.Sum(nil)[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=300")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var body bytes.Buffer
	if err := Write(&body, feed, now); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	_, _ = w.Write(body.Bytes())
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.logger.ErrorContext(r.Context(), "calendar failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// language is the language asked with ?lang=en|fr|es; texts fall back to the others.
func language(r *http.Request) string {
	switch l := r.URL.Query().Get("lang"); l {
	case "fr", "es":
		return l
	}
	return "en"
}

// seriesEvents is a series as calendar programs expect it: one event with the series'
// recurrence (RRULE) at the time it was scheduled with, the instances it does not have
// (EXDATE: exceptions, refused dates, cancelled sessions), and an event of its own for
// each session that moved (RECURRENCE-ID: the instance it replaces).
func (h *Handler) seriesEvents(ctx context.Context, id string, loc *time.Location, lang string) ([]Event, error) {
	ser, ok, err := h.reader.Series(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	sessions, err := h.reader.SessionsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	byID := map[string]readmodel.Session{}
	for _, s := range sessions {
		byID[s.ID] = s
	}
	instance := func(date string) (time.Time, error) {
		l, err := time.ParseInLocation("2006-01-02T15:04", date+"T"+ser.RuleLocalTime, loc)
		return l, err
	}
	dates, err := series.Dates(ser.Recurrence, ser.FirstDate, nil)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", id, err)
	}
	first, err := instance(ser.FirstDate)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", id, err)
	}
	length := time.Duration(ser.RuleDurationMinutes) * time.Minute
	master := Event{UID: "series-" + id + "@passerelle", Summary: ser.Title.In(lang), Start: first, End: first.Add(length),
		RRule: series.RRule(ser.Recurrence, loc), Sequence: ser.StreamVersion, LastModified: ser.UpdatedAt}
	var overrides []Event
	occurrence := map[string]sessionevents.Occurrence{}
	for _, o := range ser.Occurrences {
		occurrence[o.Date] = o
	}
	for _, d := range dates {
		at, err := instance(d)
		if err != nil {
			return nil, fmt.Errorf("series %s: %w", id, err)
		}
		o, planned := occurrence[d]
		s, scheduled := byID[o.SessionID]
		switch {
		case !planned || !scheduled || s.Status == "CANCELLED":
			// An exception, a refused date, a cancelled session: no instance.
			master.ExDates = append(master.ExDates, at)
			if scheduled {
				master.Sequence++ // the rule's instances changed
			}
		default:
			if master.Location == "" {
				master.Location, master.Description, master.Categories = eventOf(s, lang).Location, s.Description.In(lang), []string{s.Theme}
			}
			if !s.Start.Equal(at) || !s.End.Equal(at.Add(length)) {
				e := eventOf(s, lang)
				e.UID, e.RecurrenceID = master.UID, at
				overrides = append(overrides, e)
			}
		}
	}
	return append([]Event{master}, overrides...), nil
}

// eventOf is a session as a calendar event. The stream version grows with every change
// of the session, as SEQUENCE must for clients to take the newer copy.
func eventOf(s readmodel.Session, lang string) Event {
	description := s.Description.In(lang)
	if s.Status == "CANCELLED" && s.CancellationReason != "" {
		description = strings.TrimSpace("Cancelled: " + s.CancellationReason + "\n\n" + description)
	}
	location := s.Venue.Name
	if s.Venue.Address != "" {
		location += ", " + s.Venue.Address
	}
	return Event{
		UID:          s.ID + "@passerelle",
		Summary:      s.Title.In(lang),
		Description:  description,
		Location:     location,
		Start:        s.Start,
		End:          s.End,
		Cancelled:    s.Status == "CANCELLED",
		Sequence:     s.StreamVersion,
		LastModified: s.UpdatedAt,
		Categories:   []string{s.Theme},
	}
}
