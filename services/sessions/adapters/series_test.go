package adapters_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/series"
)

func weeklySeries(first, at string, count int, venue string) app.ScheduleSeries {
	s := schedule(first+"T"+at, 20, venue)
	return app.ScheduleSeries{Session: s, Recurrence: sessionevents.Recurrence{Frequency: series.Weekly, Count: count},
		FirstDate: first, LocalTime: at, Request: brussels}
}

func TestASeriesRefusesTheDatesItCannotHaveOneByOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// Another session holds the venue on 4 April, 02:00 to 04:00.
	f.schedule(t, schedule("2027-04-04T02:00", 10, "Résidence Palace"))
	// Sundays at 02:30: on 28 March 2027 Brussels' clocks skip from 02:00 to 03:00.
	res, err := f.svc.Commands.ScheduleSeries(ctx, weeklySeries("2027-03-21", "02:30", 3, "Résidence Palace"))
	if err != nil {
		t.Fatal(err)
	}
	occ := res.Series.Occurrences
	if len(occ) != 3 || occ[0].SessionID == "" || occ[1].Refusal != "NONEXISTENT_LOCAL_TIME" || occ[2].Refusal != "VENUE_TAKEN" {
		t.Fatalf("occurrences %+v", occ)
	}
	recs, err := f.store.ReadStream(ctx, sessionevents.SessionStreamID(occ[0].SessionID), 1)
	if err != nil || len(recs) != 1 {
		t.Fatalf("the scheduled date's stream: %d events, %v", len(recs), err)
	}
	// Nothing at all to schedule: refused, nothing written.
	before, _ := f.store.LastCommitted(ctx)
	_, err = f.svc.Commands.ScheduleSeries(ctx, weeklySeries("2027-03-28", "02:30", 1, "Résidence Palace"))
	var none *series.NothingScheduledError
	if !errors.As(err, &none) {
		t.Fatalf("a series with no possible date: %v", err)
	}
	if after, _ := f.store.LastCommitted(ctx); after != before {
		t.Fatal("a refused series wrote events")
	}
}

func TestRacingSeriesBookEachDateOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results []app.Result
		errs    []error
	)
	start := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			<-start
			res, err := f.svc.Commands.ScheduleSeries(ctx, weeklySeries("2027-05-06", "18:00", 8, "Maison des associations"))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			results = append(results, res)
		})
	}
	close(start)
	wg.Wait()
	booked := map[string]string{}
	for _, res := range results {
		for _, o := range res.Series.Occurrences {
			if o.SessionID == "" {
				continue
			}
			if other, dup := booked[o.Date]; dup {
				t.Fatalf("%s booked twice: %s and %s", o.Date, other, o.SessionID)
			}
			booked[o.Date] = o.SessionID
		}
	}
	// Each date went to one series; the others were refused it (or, with nothing left,
	// refused whole).
	if len(booked) != 8 || len(results)+len(errs) != 4 {
		t.Fatalf("%d dates booked by %d series, %d refused: %v", len(booked), len(results), len(errs), errs)
	}
	for _, err := range errs {
		var none *series.NothingScheduledError
		if !errors.As(err, &none) {
			t.Fatalf("refused with %v", err)
		}
	}
}

func TestCancellingAndMovingTheRestOfASeries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.svc.Commands.ScheduleSeries(ctx, weeklySeries("2027-03-18", "18:00", 4, "Résidence Palace"))
	if err != nil {
		t.Fatal(err)
	}
	occ := res.Series.Occurrences
	// From the second on: 19:30 for an hour — across the clocks going forward on 28 March.
	if _, err := f.svc.Commands.MoveSeriesFrom(ctx, app.MoveSeriesFrom{SeriesID: res.Series.SeriesID, FromSessionID: occ[1].SessionID,
		LocalTime: "19:30", DurationMinutes: 60, Request: london}); err == nil {
		t.Fatal("another city's coordinator moved the series")
	}
	if _, err := f.svc.Commands.MoveSeriesFrom(ctx, app.MoveSeriesFrom{SeriesID: res.Series.SeriesID, FromSessionID: occ[1].SessionID,
		LocalTime: "19:30", DurationMinutes: 60, Request: brussels}); err != nil {
		t.Fatal(err)
	}
	startOf := func(id string) string {
		recs, err := f.store.ReadStream(ctx, sessionevents.SessionStreamID(id), 1)
		if err != nil {
			t.Fatal(err)
		}
		var last struct {
			Timing sessionevents.Timing `json:"timing"`
		}
		_ = jsonUnmarshal(recs[len(recs)-1].Data, &last)
		return last.Timing.Start.UTC().Format("2006-01-02T15:04Z")
	}
	// 18 March stays at 18:00 (17:00Z); 25 March 19:30 CET is 18:30Z; 1 April 19:30 CEST 17:30Z.
	if got := []string{startOf(occ[0].SessionID), startOf(occ[1].SessionID), startOf(occ[3].SessionID)}; got[0] != "2027-03-18T17:00Z" ||
		got[1] != "2027-03-25T18:30Z" || got[2] != "2027-04-08T17:30Z" {
		t.Fatalf("starts %v", got)
	}
	if _, err := f.svc.Commands.CancelSeriesFrom(ctx, app.CancelSeriesFrom{SeriesID: res.Series.SeriesID, FromSessionID: occ[2].SessionID,
		Reason: "the venue closes for works", Request: brussels}); err != nil {
		t.Fatal(err)
	}
	for i, o := range occ {
		recs, _ := f.store.ReadStream(ctx, sessionevents.SessionStreamID(o.SessionID), 1)
		cancelled := recs[len(recs)-1].Type == sessionevents.SessionCancelledType
		if cancelled != (i >= 2) {
			t.Fatalf("session %d (%s) cancelled: %t", i, o.Date, cancelled)
		}
	}
}
