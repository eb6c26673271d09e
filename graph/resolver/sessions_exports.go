package resolver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/graph/export"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// Limits of a file of sessions.
const (
	maxExportDays     = 366
	maxExportSessions = 5000
)

// CsvFileResolver resolves CsvFile.
type CsvFileResolver struct {
	name    string
	content []byte
	rows    int
}

// Filename resolves CsvFile.filename.
func (f *CsvFileResolver) Filename() string { return f.name }

// ContentType resolves CsvFile.contentType.
func (f *CsvFileResolver) ContentType() string { return export.ContentType }

// Content resolves CsvFile.content.
func (f *CsvFileResolver) Content() string { return string(f.content) }

// RowCount resolves CsvFile.rowCount.
func (f *CsvFileResolver) RowCount() int32 { return int32(f.rows) }

func csvFile(name string, t export.Table) (*CsvFileResolver, error) {
	content, err := t.CSV()
	if err != nil {
		return nil, err
	}
	return &CsvFileResolver{name: name, content: content, rows: len(t.Rows)}, nil
}

func exportLanguage(l *string) export.Language {
	if l == nil {
		return export.English
	}
	return export.Language(strings.ToLower(*l))
}

// mayExport lets the city's coordinators and admins take its files away.
func mayExport(a events.Actor, city string) error {
	switch {
	case !a.IsAuthenticated():
		return NewError(fault.Unauthenticated, "exports need a coordinator's or an admin's token")
	case a.IsAdmin() || a.CoordinatesCity(city):
		return nil
	}
	return NewError(fault.Forbidden, "exports are for coordinators of the city and admins")
}

// SessionRegistrationsCsv resolves Query.sessionRegistrationsCsv.
func (r *Resolver) SessionRegistrationsCsv(ctx context.Context, args struct {
	SessionID graphql.ID
	Language  *string
}) (*CsvFileResolver, error) {
	reader := auth.ActorFrom(ctx)
	if !reader.IsAuthenticated() {
		return nil, mayExport(reader, "")
	}
	id, err := parseGlobalID(args.SessionID, kindSession)
	if err != nil {
		return nil, err
	}
	s, ok, err := r.deps.Sessions.Session(ctx, id)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, NewError(fault.NotFound, "session not found")
	}
	if err := mayExport(reader, s.City); err != nil {
		return nil, err
	}
	loc, err := r.zones.load(s.TimeZone)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	regs, assocs, err := r.deps.Sessions.RegistrationsWithAssociations(ctx, []string{id}, visibility(reader), true)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	rows := make([]export.RegistrationRow, 0, len(regs[id]))
	for _, g := range regs[id] {
		row := export.RegistrationRow{Registration: g}
		if a, ok := assocs[g.AssociationID]; ok {
			row.AssociationName, row.AssociationID = a.Name, string(globalID(kindAssociation, a.ID))
		}
		rows = append(rows, row)
	}
	return csvFile(export.Filename("registrations", s.City, s.Start, loc), export.Registrations(exportLanguage(args.Language), s, rows, loc))
}

// SessionsCsv resolves Query.sessionsCsv.
func (r *Resolver) SessionsCsv(ctx context.Context, args struct {
	City     string
	From, To string
	Language *string
}) (*CsvFileResolver, error) {
	reader := auth.ActorFrom(ctx)
	if err := mayExport(reader, args.City); err != nil {
		return nil, err
	}
	city, ok, err := r.deps.Sessions.City(ctx, args.City)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, NewError(fault.NotFound, fmt.Sprintf("no city %q", args.City))
	}
	loc, err := r.zones.load(city.TimeZone)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	day := func(field, s string) (time.Time, error) {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			return time.Time{}, &Error{code: fault.BadUserInput, message: fmt.Sprintf("%s: %q is not a date such as 2027-03-20", field, s),
				details: map[string]any{"field": field}}
		}
		return d, nil
	}
	from, err := day("from", args.From)
	if err != nil {
		return nil, err
	}
	last, err := day("to", args.To)
	if err != nil {
		return nil, err
	}
	// Both days included: up to the midnight after the last, on the city's clocks.
	to := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	switch {
	case !to.After(from):
		return nil, &Error{code: fault.BadUserInput, message: "to: the period ends before it starts", details: map[string]any{"field": "to"}}
	case to.Sub(from) > (maxExportDays+1)*24*time.Hour:
		return nil, &Error{code: fault.BadUserInput, message: fmt.Sprintf("to: at most %d days at a time", maxExportDays), details: map[string]any{"field": "to"}}
	}
	sessions, more, err := r.deps.Sessions.Between(ctx, city.Slug, from, to, maxExportSessions)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if more {
		return nil, &Error{code: fault.BadUserInput, message: fmt.Sprintf("more than %d sessions: take a shorter period", maxExportSessions),
			details: map[string]any{"field": "to"}}
	}
	ids := make([]string, len(sessions))
	for i, s := range sessions {
		ids[i] = s.ID
	}
	regs := map[string][]readmodel.Registration{}
	if len(ids) > 0 {
		if regs, err = r.deps.Sessions.Registrations(ctx, ids); err != nil {
			return nil, toGraphQL(ctx, r.deps.Logger, err)
		}
	}
	rows := make([]export.SessionRow, len(sessions))
	for i, s := range sessions {
		n := 0
		for _, g := range regs[s.ID] {
			if g.Status != "CANCELLED" {
				n++
			}
		}
		rows[i] = export.SessionRow{Session: s, GlobalID: string(globalID(kindSession, s.ID)), Registrations: n}
	}
	return csvFile(export.Filename("sessions", city.Slug, from, loc), export.Sessions(exportLanguage(args.Language), rows, loc, r.deps.Now()))
}
