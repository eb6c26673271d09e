// Package ports serves the notifications service's queries over HTTP, for a gateway in
// another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/events/auth"
	"passerelle.dev/events/command"
	"passerelle.dev/events/servicehttp"
	"passerelle.dev/notifications/app"
)

// MailboxPath is the mailbox query's route.
const MailboxPath = "/v1/mailbox/queries"

// Handler routes the API over queries.
func Handler(queries app.Queries, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+MailboxPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, q app.Mailbox, r command.Request, _ string) (any, error) {
		q.Request = r
		return queries.Mailbox(ctx, q)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}
