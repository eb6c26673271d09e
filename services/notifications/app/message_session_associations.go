package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/notificationevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/notifications/domain/message"
	"passerelle.dev/servicekit/command"
)

// MessageSessionAssociations writes to a session's associations — all those holding or
// waiting for seats, or only those who came: a coordinator of the session's city, or an
// admin. The text goes as written, after a line in each association's language saying
// who writes and about which session.
type MessageSessionAssociations struct {
	SessionID string  `json:"sessionId"`
	Audience  string  `json:"audience"`
	Subject   string  `json:"subject"`
	Body      string  `json:"body"`
	Request   Request `json:"-"`
}

// LetterResult is where a coordinator's message went.
type LetterResult struct {
	MessageID string `json:"messageId"`
	// Recipients is how many associations it is written to.
	Recipients int             `json:"recipients"`
	Position   events.Position `json:"position"`
	Replayed   bool            `json:"replayed,omitempty"`
}

// Letters stores coordinators' messages and knows who they go to.
type Letters interface {
	// SessionCity returns the city of a session the notifier knows, ok false otherwise.
	SessionCity(ctx context.Context, sessionID string) (string, bool, error)
	// Recipients counts the associations of a session in an audience.
	Recipients(ctx context.Context, sessionID, audience string) (int, error)
	// Add stores the message's event under the idempotency key.
	Add(ctx context.Context, e notificationevents.CoordinatorMessageSent, md events.Metadata, key command.Key) (command.Outcome, error)
	// Replay returns the outcome recorded for an idempotency key.
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// Errors of coordinators' messages.
var (
	ErrSessionUnknown   = fault.Because(fault.NotFound, "SESSION_NOT_FOUND", "session not found")
	ErrCoordinatorsOnly = fault.Because(fault.Forbidden, "CITY_COORDINATORS_ONLY",
		"only a coordinator of the session's city or an admin writes to its associations")
	ErrNobodyToWrite = fault.Because(fault.Conflict, "NO_RECIPIENTS", "no association of the session is in that audience")
)

// MessageSessionAssociations handles MessageSessionAssociations.
func (app *Application) MessageSessionAssociations(ctx context.Context, cmd MessageSessionAssociations) (LetterResult, error) {
	actor := cmd.Request.Actor
	if !actor.IsAuthenticated() {
		return LetterResult{}, ErrNeedsSignIn
	}
	if _, err := uuid.Parse(cmd.SessionID); err != nil {
		return LetterResult{}, ErrSessionUnknown
	}
	city, ok, err := app.letters.SessionCity(ctx, cmd.SessionID)
	if err != nil {
		return LetterResult{}, err
	}
	if !ok {
		return LetterResult{}, ErrSessionUnknown
	}
	if !(actor.IsAdmin() || actor.CoordinatesCity(city)) {
		return LetterResult{}, ErrCoordinatorsOnly
	}
	letter, err := message.NewLetter(cmd.Audience, cmd.Subject, cmd.Body)
	if err != nil {
		return LetterResult{}, err
	}
	key, err := cmd.Request.Key("MessageSessionAssociations", cmd)
	if err != nil {
		return LetterResult{}, err
	}
	if o, ok, err := app.letters.Replay(ctx, key); err != nil {
		return LetterResult{}, err
	} else if ok {
		id, _ := notificationevents.MessageIDFromStream(o.StreamID)
		n, err := app.letters.Recipients(ctx, cmd.SessionID, letter.Audience)
		return LetterResult{MessageID: id, Recipients: n, Position: o.Position, Replayed: true}, err
	}
	n, err := app.letters.Recipients(ctx, cmd.SessionID, letter.Audience)
	if err != nil {
		return LetterResult{}, err
	}
	if n == 0 {
		return LetterResult{}, ErrNobodyToWrite
	}
	e := notificationevents.CoordinatorMessageSent{MessageID: uuid.Must(uuid.NewV7()).String(), SessionID: cmd.SessionID,
		Audience: letter.Audience, Subject: letter.Subject, Body: letter.Body, At: app.now().UTC()}
	o, err := app.letters.Add(ctx, e, cmd.Request.Metadata(), key)
	if err != nil {
		return LetterResult{}, err
	}
	id, _ := notificationevents.MessageIDFromStream(o.StreamID)
	return LetterResult{MessageID: id, Recipients: n, Position: o.Position, Replayed: o.Replayed}, nil
}
