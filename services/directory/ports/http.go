// Package ports exposes the directory's commands over HTTP+JSON (package servicehttp's
// conventions), for a gateway running in another process. Its route table is the one
// the client calls.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/directory/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// KeyGenerationQuery asks which key generation of an association is current.
type KeyGenerationQuery struct{ AssociationID string }

// The directory's HTTP API.
var (
	Register      = servicehttp.NewRoute[app.RegisterAssociation, app.Result](http.MethodPost, "/v1/associations", http.StatusCreated)
	UpdateProfile = servicehttp.NewRoute[app.UpdateAssociationProfile, app.Result](http.MethodPatch, "/v1/associations/{associationID}/profile", http.StatusOK)
	Verify        = servicehttp.NewRoute[app.VerifyAssociation, app.Result](http.MethodPost, "/v1/associations/{associationID}/verification", http.StatusOK)
	Reject        = servicehttp.NewRoute[app.RejectAssociation, app.Result](http.MethodPost, "/v1/associations/{associationID}/rejection", http.StatusOK)
	Suspend       = servicehttp.NewRoute[app.SuspendAssociation, app.Result](http.MethodPost, "/v1/associations/{associationID}/suspension", http.StatusOK)
	Reinstate     = servicehttp.NewRoute[app.ReinstateAssociation, app.Result](http.MethodPost, "/v1/associations/{associationID}/reinstatement", http.StatusOK)
	Dissolve      = servicehttp.NewRoute[app.DissolveAssociation, app.Result](http.MethodPost, "/v1/associations/{associationID}/dissolution", http.StatusOK)
	ForgetContact = servicehttp.NewRoute[app.ForgetAssociationContact, app.Result](http.MethodPost, "/v1/associations/{associationID}/contact-erasure", http.StatusOK)
	RenewKey      = servicehttp.NewRoute[app.RenewAssociationKey, app.Result](http.MethodPost, "/v1/associations/{associationID}/key-renewal", http.StatusOK)
	KeyGeneration = servicehttp.NewRoute[KeyGenerationQuery, int](http.MethodPost, "/v1/associations/{associationID}/key-generation/queries", http.StatusOK)
	Reveal        = servicehttp.NewRoute[app.RevealContacts, map[string]app.RevealedContact](http.MethodPost, "/v1/contacts/reveal", http.StatusOK)
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	Register.Serve(mux, tokens, logger, c.RegisterAssociation)
	UpdateProfile.Serve(mux, tokens, logger, c.UpdateAssociationProfile)
	Verify.Serve(mux, tokens, logger, c.VerifyAssociation)
	Reject.Serve(mux, tokens, logger, c.RejectAssociation)
	Suspend.Serve(mux, tokens, logger, c.SuspendAssociation)
	Reinstate.Serve(mux, tokens, logger, c.ReinstateAssociation)
	Dissolve.Serve(mux, tokens, logger, c.DissolveAssociation)
	ForgetContact.Serve(mux, tokens, logger, c.ForgetAssociationContact)
	RenewKey.Serve(mux, tokens, logger, c.RenewAssociationKey)
	KeyGeneration.Serve(mux, tokens, logger, func(ctx context.Context, q KeyGenerationQuery) (int, error) {
		return c.KeyGeneration(ctx, q.AssociationID)
	})
	Reveal.Serve(mux, tokens, logger, c.RevealContacts)
	servicehttp.Health(mux)
	return mux
}
