package adapters_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/proposals/app"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/proposals/service"
	"passerelle.dev/servicekit/auth"
)

var db *pgtest.Database

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &db, service.Migrations()...)) }

var (
	start = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	admin = app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}
)

// clock is the service's clock, moved by the tests.
type clock struct{ at atomic.Int64 }

func (c *clock) now() time.Time  { return time.Unix(0, c.at.Load()).UTC() }
func (c *clock) set(t time.Time) { c.at.Store(t.UnixNano()) }
func coordinator(n int) app.Request {
	return app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "london", Subject: fmt.Sprintf("coord-%d", n)}}
}

type fixture struct {
	svc   *service.Service
	store *eventstore.Store
	clock *clock
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tokens, err := auth.NewTokens([]byte("proposals-test-secret-proposals-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{}
	clk.set(start)
	ctx, cancel := context.WithCancel(context.Background())
	notifications := eventstore.NewNotifications(pool, nil)
	svc, err := service.New(service.Deps{Store: store, Notifications: notifications, Tokens: tokens}, service.Config{App: app.Config{Now: clk.now}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { _ = notifications.Run(ctx) })
	wg.Go(func() {
		if err := svc.Run(ctx); err != nil {
			t.Errorf("proposals service: %v", err)
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	return fixture{svc: svc, store: store, clock: clk}
}

// association appends the directory's events of a verified association and returns
// the request of its token.
func (f fixture) association(t *testing.T) (string, app.Request) {
	t.Helper()
	reg := events.NewRegistry()
	if err := directoryevents.Register(reg); err != nil {
		t.Fatal(err)
	}
	id := uuid.Must(uuid.NewV7()).String()
	registered, _ := reg.New(directoryevents.AssociationRegistered{AssociationID: id,
		Profile: directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{Name: "Ghana Nurses UK " + id[:8], City: "london", OriginCountries: []string{"GH"}}}}, events.Metadata{Actor: events.System})
	verified, _ := reg.New(directoryevents.AssociationVerified{AssociationID: id}, events.Metadata{Actor: events.System})
	if _, err := f.store.Append(context.Background(), directoryevents.StreamID(id), eventstore.NoStream, registered, verified); err != nil {
		t.Fatal(err)
	}
	return id, app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: id}}
}

func (f fixture) openCall(t *testing.T, closes time.Time) string {
	t.Helper()
	res, err := f.svc.Commands.OpenCall(context.Background(), app.OpenCall{
		Title: proposalevents.Text{EN: "Diaspora health partnerships"}, Description: proposalevents.Text{EN: "Health projects."},
		Themes: []string{"HEALTH"}, EligibleCountries: []string{"GH", "SN"}, BudgetCeiling: app.MoneyInput{Amount: "50000", Currency: "EUR"},
		OpensAt: start, ClosesAt: closes, Request: admin,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.CallID
}

func completeContent() app.ContentInput {
	return app.ContentInput{
		Title: proposalevents.Text{EN: "Tele-medicine with Tamale"}, Summary: proposalevents.Text{EN: "Remote consultations."},
		Sector: "HEALTH", Countries: []string{"GH"}, Budget: "48000", DurationMonths: 18,
		BudgetLines: []app.BudgetLineInput{{Label: "Equipment", Amount: "30000"}, {Label: "Training", Amount: "18000"}},
	}
}

func (f fixture) draft(t *testing.T, callID, association string, req app.Request) string {
	t.Helper()
	res, err := f.svc.Commands.DraftProposal(context.Background(), app.DraftProposal{CallID: callID, AssociationID: association, Content: completeContent(), Request: req})
	if err != nil {
		t.Fatal(err)
	}
	return res.ProposalID
}

func TestASubmissionOneSecondAfterTheCloseIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	closes := start.Add(14 * 24 * time.Hour)
	callID := f.openCall(t, closes)
	id, owner := f.association(t)
	early, late := f.draft(t, callID, id, owner), f.draft(t, callID, id, owner)

	f.clock.set(closes.Add(-time.Second))
	if _, err := f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: early, Request: owner}); err != nil {
		t.Fatalf("a second before the close: %v", err)
	}
	f.clock.set(closes.Add(time.Second))
	before, _ := f.store.StreamVersion(ctx, proposalevents.ProposalStreamID(late))
	_, err := f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: late, Request: owner})
	if !errors.Is(err, call.ErrClosed) || err.Error() != "the call for proposals is closed" {
		t.Fatalf("a second after the close: %v", err)
	}
	if after, _ := f.store.StreamVersion(ctx, proposalevents.ProposalStreamID(late)); after != before {
		t.Fatal("a refused submission wrote an event")
	}
}

func TestSubmissionsRacingACloseNeverPassIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCall(t, start.Add(30*24*time.Hour))
	id, owner := f.association(t)
	const n = 20
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.draft(t, callID, id, owner)
	}
	var wg sync.WaitGroup
	ready := make(chan struct{})
	var closedAt events.Position
	for _, pid := range ids {
		wg.Go(func() {
			<-ready
			_, err := f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: pid, Request: owner})
			if err != nil && !errors.Is(err, call.ErrClosed) {
				t.Errorf("submit: %v", err)
			}
		})
	}
	wg.Go(func() {
		<-ready
		res, err := f.svc.Commands.CloseCall(ctx, app.CloseCall{CallID: callID, Request: admin})
		if err != nil {
			t.Errorf("close: %v", err)
		}
		closedAt = res.Position
	})
	close(ready)
	wg.Wait()
	// Every submission in the log comes before the close.
	all, err := f.store.ReadAll(ctx, events.Position{}, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range all {
		if rec.Type == proposalevents.ProposalSubmittedType && !rec.Position.Before(closedAt) {
			t.Fatalf("a submission at %s after the close at %s", rec.Position, closedAt)
		}
	}
}

func TestTwoReviewersRevisingConcurrentlyLoseNoReview(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCall(t, start.Add(30*24*time.Hour))
	id, owner := f.association(t)
	pid := f.draft(t, callID, id, owner)
	for _, step := range []func() (app.Result, error){
		func() (app.Result, error) {
			return f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: pid, Request: owner})
		},
		func() (app.Result, error) {
			return f.svc.Commands.StartReview(ctx, app.StartReview{ProposalID: pid, Request: coordinator(1)})
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	const revisions = 15
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for reviewer := 1; reviewer <= 2; reviewer++ {
		for rev := 1; rev <= revisions; rev++ {
			wg.Go(func() {
				<-ready
				_, err := f.svc.Commands.ReviewProposal(ctx, app.ReviewProposal{ProposalID: pid, Request: coordinator(reviewer),
					Scores:  map[string]int{"RELEVANCE": 1 + rev%5, "FEASIBILITY": 3, "DEVELOPMENT_IMPACT": 4, "PARTNERSHIP": 2},
					Comment: fmt.Sprintf("reviewer %d, revision %d", reviewer, rev)})
				if err != nil {
					t.Errorf("review: %v", err)
				}
			})
		}
	}
	close(ready)
	wg.Wait()
	recs, err := f.store.ReadStream(ctx, proposalevents.ProposalStreamID(pid), 1)
	if err != nil {
		t.Fatal(err)
	}
	reviews, revised := map[string]int{}, 0
	for _, rec := range recs {
		if rec.Type == proposalevents.ProposalReviewedType {
			var e struct {
				ReviewerID string `json:"reviewerId"`
				Revision   bool   `json:"revision"`
			}
			if err := jsonUnmarshal(rec.Data, &e); err != nil {
				t.Fatal(err)
			}
			reviews[e.ReviewerID]++
			if e.Revision {
				revised++
			}
		}
	}
	if reviews["coord-1"] != revisions || reviews["coord-2"] != revisions || revised != 2*revisions-2 {
		t.Fatalf("reviews in the log: %v, %d revisions; want %d each and %d revisions", reviews, revised, revisions, 2*revisions-2)
	}
	// Both reviewers' reviews count: a decision is possible and the proposal holds two.
	if _, err := f.svc.Commands.DecideProposal(ctx, app.DecideProposal{ProposalID: pid, Decision: "APPROVED", Reason: "Two strong reviews.", Request: admin}); err != nil {
		t.Fatal(err)
	}
}

func TestDraftsNeedAVerifiedOwnerAnExistingCallAndSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCall(t, start.Add(30*24*time.Hour))
	id, owner := f.association(t)

	unverified := uuid.Must(uuid.NewV7()).String()
	_, err := f.svc.Commands.DraftProposal(ctx, app.DraftProposal{CallID: callID, AssociationID: unverified, Content: completeContent(),
		Request: app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: unverified}}})
	if !errors.Is(err, proposal.ErrNotVerified) {
		t.Fatalf("an unverified association: %v", err)
	}
	if _, err := f.svc.Commands.DraftProposal(ctx, app.DraftProposal{CallID: uuid.Must(uuid.NewV7()).String(), AssociationID: id, Content: completeContent(), Request: owner}); fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("an unknown call: %v", err)
	}
	content := completeContent()
	content.SessionID = uuid.Must(uuid.NewV7()).String()
	if _, err := f.svc.Commands.DraftProposal(ctx, app.DraftProposal{CallID: callID, AssociationID: id, Content: content, Request: owner}); !errors.Is(err, app.ErrNoSuchSession) {
		t.Fatalf("an unknown session: %v", err)
	}
	// A session the sessions service scheduled is known.
	reg := events.NewRegistry()
	if err := sessionevents.Register(reg); err != nil {
		t.Fatal(err)
	}
	scheduled, _ := reg.New(sessionevents.SessionScheduled{SessionID: content.SessionID, City: "london"}, events.Metadata{Actor: events.System})
	if _, err := f.store.Append(ctx, sessionevents.SessionStreamID(content.SessionID), eventstore.NoStream, scheduled); err != nil {
		t.Fatal(err)
	}
	req := owner
	req.IdempotencyKey = "draft-tamale-0001"
	first, err := f.svc.Commands.DraftProposal(ctx, app.DraftProposal{CallID: callID, AssociationID: id, Content: content, Request: req})
	if err != nil {
		t.Fatalf("a known session: %v", err)
	}
	again, err := f.svc.Commands.DraftProposal(ctx, app.DraftProposal{CallID: callID, AssociationID: id, Content: content, Request: req})
	if err != nil || !again.Replayed || again.ProposalID != first.ProposalID {
		t.Fatalf("a retry: %+v after %+v (%v)", again, first, err)
	}
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
