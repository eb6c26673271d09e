package proposalevents_test

import (
	"testing"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/money"
)

// TestVersion1AmountsKeepTheirMeaning: version 1 stored 5,000 rupiah as 5000 (the
// digits the currency displays); ISO 4217 counts sen, so version 2 reads 500000 — the
// same 5,000.00 IDR. Euros, whose units did not change, stay as they were.
func TestVersion1AmountsKeepTheirMeaning(t *testing.T) {
	r := events.NewRegistry()
	if err := proposalevents.Register(r); err != nil {
		t.Fatal(err)
	}
	read := func(typ, data string) any {
		t.Helper()
		v, err := r.Decode(typ, 1, []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	call := read(proposalevents.CallOpenedType, `{"callId":"c","ceiling":{"amount":5000,"currency":"IDR"}}`).(proposalevents.CallOpened)
	if call.Ceiling != (money.Money{Amount: 500000, Currency: "IDR"}) || call.Ceiling.String() != "5000.00 IDR" {
		t.Fatalf("ceiling %+v (%s)", call.Ceiling, call.Ceiling)
	}
	drafted := read(proposalevents.ProposalDraftedType, `{"proposalId":"p","content":{"budget":{"amount":3000,"currency":"IQD"},
		"budgetLines":[{"label":"a","amount":1000},{"label":"b","amount":2000}]}}`).(proposalevents.ProposalDrafted)
	if drafted.Content.Budget.Amount != 3000000 || drafted.Content.BudgetLines[1].Amount != 2000000 {
		t.Fatalf("a budget in dinars: %+v", drafted.Content)
	}
	pledge := read(proposalevents.SupportPledgedType, `{"proposalId":"p","pledgeId":"x","money":{"amount":125050,"currency":"EUR"}}`).(proposalevents.SupportPledged)
	if *pledge.Money != (money.Money{Amount: 125050, Currency: "EUR"}) {
		t.Fatalf("euros changed: %+v", pledge.Money)
	}
	inKind := read(proposalevents.SupportPledgedType, `{"proposalId":"p","pledgeId":"y","inKind":"a clinic's equipment"}`).(proposalevents.SupportPledged)
	if inKind.Money != nil {
		t.Fatal("support in kind got money")
	}
}
