// Package ports serves the notifications service over HTTP, for a gateway in another
// process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/notifications/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
)

// Routes of the notifications service's HTTP API.
const (
	MailboxPath = "/v1/mailbox/queries"
	LettersPath = "/v1/sessions/{id}/letters"
)

// Handler routes the API over commands.
func Handler(commands app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+MailboxPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, q app.Mailbox, r command.Request, _ string) (any, error) {
		q.Request = r
		return commands.Mailbox(ctx, q)
	}))
	mux.Handle("POST "+LettersPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.MessageSessionAssociations, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return commands.MessageSessionAssociations(ctx, cmd)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}
