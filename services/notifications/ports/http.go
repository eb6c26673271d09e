// Package ports serves the notifications service over HTTP, for a gateway in another
// process.
package ports

import (
	"log/slog"
	"net/http"

	"passerelle.dev/notifications/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// The HTTP API, one route per command and query: served by Handler, called by package
// client. A path's wildcard names the field of the message it fills.
var (
	Mailbox                    = servicehttp.NewRoute[app.Mailbox, app.MailboxPage](http.MethodPost, "/v1/mailbox/queries", http.StatusOK)
	MessageSessionAssociations = servicehttp.NewRoute[app.MessageSessionAssociations, app.LetterResult](http.MethodPost, "/v1/sessions/{sessionID}/letters", http.StatusCreated)
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	Mailbox.Serve(mux, tokens, logger, c.Mailbox)
	MessageSessionAssociations.Serve(mux, tokens, logger, c.MessageSessionAssociations)
	servicehttp.Health(mux)
	return mux
}
