package adapters_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/notifications/adapters"
)

// experts is the test's experts service: the addresses of the experts not erased.
type experts struct {
	mu    sync.Mutex
	email map[string]string
}

func (e *experts) Email(_ context.Context, id string) (string, bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	addr, ok := e.email[id]
	return addr, ok, nil
}

func TestExpertsAndInstitutionsAreToldWithoutNamingTheExpert(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ms := startMailServer(t)
	inst, req, amina, gone := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	book := &experts{email: map[string]string{amina: "amina@example.org"}} // gone erased their data
	at := f.clock.now()
	f.append(t, expertevents.InstitutionStreamID(inst),
		expertevents.InstitutionRegistered{InstitutionID: inst, At: at, Institution: expertevents.Institution{Name: "CHR de Thiès", Kind: "HOSPITAL",
			Country: "SN", Email: "direction@chr-thies.example.sn", Language: "fr"}},
		expertevents.InstitutionVerified{InstitutionID: inst, At: at})
	f.append(t, expertevents.RequestStreamID(req),
		expertevents.RequestDrafted{RequestID: req, InstitutionID: inst, At: at, Terms: expertevents.Terms{Title: "Mentorat en cardiologie",
			Languages: []string{"fr-SN", "wo"}, Fields: []string{"2212"}, Country: "SN", Experts: 1}},
		expertevents.RequestOpened{RequestID: req, At: at},
		expertevents.MatchProposed{RequestID: req, ExpertID: amina, Score: 90, At: at},
		expertevents.MatchProposed{RequestID: req, ExpertID: gone, Score: 70, At: at},
		expertevents.MatchAccepted{RequestID: req, ExpertID: amina, At: at},
		expertevents.MatchConfirmed{RequestID: req, ExpertID: amina, At: at},
		expertevents.RequestCancelled{RequestID: req, Reason: "le financement a été retiré", At: at})
	f.project(t, adapters.Notifier{PublicURL: "https://passerelle.example"})
	got := f.outbox(t)
	for _, want := range []string{"INSTITUTION_VERIFIED/fr/PENDING", "EXPERT_PROPOSED/fr/PENDING", "EXPERT_ACCEPTED/fr/PENDING",
		"EXPERT_CONFIRMED/fr/PENDING", "MISSION_CANCELLED/fr/PENDING"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no %s in %v", want, got)
		}
	}
	if _, err := smtpSenderTo(f, ms, adapters.AddressBook{Contacts: &contacts{}, Experts: book}, nil).SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	to := map[string]int{}
	for _, m := range ms.messages() {
		to[strings.Join(m.to, ",")]++
		if strings.Contains(m.data, "Amina") || strings.Contains(m.data, "amina@") && !strings.Contains(strings.Join(m.to, ","), "amina@") {
			t.Fatalf("a message names the expert: %s", m.data)
		}
	}
	// Amina: proposed, confirmed, cancelled; the institution: verified, an expert accepted.
	if to["amina@example.org"] != 3 || to["direction@chr-thies.example.sn"] != 2 || len(to) != 2 {
		t.Fatalf("delivered to %v", to)
	}
	var dropped int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM notifications.outbox WHERE expert_id = $1 AND status = 'DROPPED'
		AND last_error = 'the expert erased their data'`, gone).Scan(&dropped); err != nil {
		t.Fatal(err)
	}
	if dropped != 2 { // proposed, then the cancellation
		t.Fatalf("%d messages to the erased expert dropped", dropped)
	}
}
