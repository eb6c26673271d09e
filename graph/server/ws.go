package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/google/uuid"
	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// The graphql-transport-ws protocol (github.com/enisdenjo/graphql-ws, PROTOCOL.md): the
// subprotocol, its message types and its close codes.
const (
	wsSubprotocol = "graphql-transport-ws"

	msgConnectionInit = "connection_init"
	msgConnectionAck  = "connection_ack"
	msgPing           = "ping"
	msgPong           = "pong"
	msgSubscribe      = "subscribe"
	msgNext           = "next"
	msgError          = "error"
	msgComplete       = "complete"

	closeInvalidMessage    websocket.StatusCode = 4400
	closeUnauthorized      websocket.StatusCode = 4401
	closeForbidden         websocket.StatusCode = 4403
	closeSubprotocol       websocket.StatusCode = 4406
	closeInitTimeout       websocket.StatusCode = 4408
	closeSubscriberExists  websocket.StatusCode = 4409
	closeTooManyInitialise websocket.StatusCode = 4429
)

// wsInitTimeout is how long a client has to send connection_init.
const wsInitTimeout = 10 * time.Second

// maxSubscriptions bounds the operations one connection runs at once.
const maxSubscriptions = 100

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// serveWebSocket runs one graphql-transport-ws connection.
func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	if !s.webSocketOriginAllowed(r) {
		http.Error(w, "this page's origin may not open a connection here", http.StatusForbidden)
		return
	}
	// The origin is checked above, scheme and host both.
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{wsSubprotocol}, InsecureSkipVerify: true})
	if err != nil {
		s.deps.Logger.InfoContext(r.Context(), "refused websocket", "err", err)
		return
	}
	if c.Subprotocol() != wsSubprotocol {
		_ = c.Close(closeSubprotocol, "Subprotocol not acceptable: use "+wsSubprotocol)
		return
	}
	// The upgrade carries the browser's cookies; its session (when it came from a page of
	// this server) stands for a connection_init without a token.
	conn := &wsConn{s: s, c: c, r: r, session: s.sessionSecret(r), ops: map[string]context.CancelFunc{}}
	conn.run(r.Context())
}

type wsConn struct {
	s *Server
	c *websocket.Conn
	r *http.Request
	// session is the secret of the browser session the upgrade came with, if any.
	session string

	writeMu sync.Mutex

	mu    sync.Mutex
	actor events.Actor
	acked bool
	// viaSession is set when the reader was admitted by the browser's session.
	viaSession bool
	ops        map[string]context.CancelFunc
}

func (c *wsConn) send(ctx context.Context, m wsMessage) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return wsjson.Write(ctx, c.c, m)
}

func (c *wsConn) run(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	initTimer := time.AfterFunc(wsInitTimeout, func() {
		c.mu.Lock()
		acked := c.acked
		c.mu.Unlock()
		if !acked {
			_ = c.c.Close(closeInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initTimer.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c.c, &m); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				_ = c.c.Close(closeInvalidMessage, "Invalid message received")
			}
			return
		}
		switch m.Type {
		case msgConnectionInit:
			if !c.init(ctx, m) {
				return
			}
		case msgPing:
			if err := c.send(ctx, wsMessage{Type: msgPong}); err != nil {
				return
			}
		case msgPong:
		case msgSubscribe:
			if !c.subscribe(ctx, m, &wg) {
				return
			}
		case msgComplete:
			c.mu.Lock()
			if stop, ok := c.ops[m.ID]; ok {
				stop()
				delete(c.ops, m.ID)
			}
			c.mu.Unlock()
		default:
			_ = c.c.Close(closeInvalidMessage, "Invalid message received")
			return
		}
	}
}

// init authenticates the connection from connection_init's payload: {"Authorization":
// "Bearer …"} (or none, for an anonymous reader).
func (c *wsConn) init(ctx context.Context, m wsMessage) bool {
	c.mu.Lock()
	if c.acked {
		c.mu.Unlock()
		_ = c.c.Close(closeTooManyInitialise, "Too many initialisation requests")
		return false
	}
	c.mu.Unlock()
	var payload struct {
		Authorization string `json:"Authorization"`
		Token         string `json:"token"`
	}
	if len(m.Payload) > 0 && string(m.Payload) != "null" {
		if err := json.Unmarshal(m.Payload, &payload); err != nil {
			_ = c.c.Close(closeInvalidMessage, "Invalid message received")
			return false
		}
	}
	token := strings.TrimSpace(strings.TrimPrefix(payload.Authorization, "Bearer "))
	if token == "" {
		token = payload.Token
	}
	actor := events.Actor{}
	switch {
	case token != "":
		var err error
		if actor, err = c.s.deps.Tokens.Parse(token); err == nil {
			actor, err = c.s.checkAppointment(ctx, actor)
		}
		if err != nil {
			_ = c.c.Close(closeForbidden, "Forbidden: "+fault.MessageOf(err))
			return false
		}
	case c.session != "":
		session, found, err := c.s.deps.Sessions.Actor(ctx, c.session)
		if err == nil && found {
			actor, err = c.s.checkAppointment(ctx, session)
			c.mu.Lock()
			c.viaSession = err == nil
			c.mu.Unlock()
		}
		if err != nil {
			_ = c.c.Close(closeForbidden, "Forbidden: "+fault.MessageOf(err))
			return false
		}
	}
	c.mu.Lock()
	c.actor, c.acked = actor, true
	c.mu.Unlock()
	return c.send(ctx, wsMessage{Type: msgConnectionAck}) == nil
}

// stillAllowed checks, before each delivery, that the connection's reader still holds
// what it was admitted with: a coordinator's appointment, a browser's session.
func (c *wsConn) stillAllowed(ctx context.Context, actor events.Actor) error {
	if c.viaSession {
		if _, found, err := c.s.deps.Sessions.Actor(ctx, c.session); err != nil {
			return errRosterUnavailable
		} else if !found {
			return errSessionEnded
		}
	}
	_, err := c.s.checkAppointment(ctx, actor)
	return err
}

// subscribe starts an operation: a subscription sends next until it ends; a query or
// a mutation sends one next. Each ends with complete (or error, when refused).
func (c *wsConn) subscribe(ctx context.Context, m wsMessage, wg *sync.WaitGroup) bool {
	c.mu.Lock()
	acked, actor := c.acked, c.actor
	_, exists := c.ops[m.ID]
	running := len(c.ops)
	c.mu.Unlock()
	switch {
	case !acked:
		_ = c.c.Close(closeUnauthorized, "Unauthorized")
		return false
	case m.ID == "":
		_ = c.c.Close(closeInvalidMessage, "Invalid message received: subscribe needs an id")
		return false
	case exists:
		_ = c.c.Close(closeSubscriberExists, "Subscriber for "+m.ID+" already exists")
		return false
	}
	var req graphQLRequest
	if err := json.Unmarshal(m.Payload, &req); err != nil || (req.Query == "" && req.Extensions["persistedQuery"] == nil) {
		_ = c.c.Close(closeInvalidMessage, "Invalid message received: subscribe needs a query")
		return false
	}
	refuse := func(err error) bool {
		payload, _ := json.Marshal([]errorEntry{{Message: fault.MessageOf(err), Extensions: map[string]any{"code": string(fault.CodeOf(err))}}})
		return c.send(ctx, wsMessage{ID: m.ID, Type: msgError, Payload: payload}) == nil
	}
	if err := c.s.documents.resolve(&req); err != nil {
		return refuse(err)
	}
	if running >= maxSubscriptions {
		return refuse(fault.New(fault.RateLimited, "too many operations on this connection"))
	}
	if ok, _ := c.s.limits.allow(clientKey(c.r, actor), time.Now()); !ok {
		return refuse(errRateLimited)
	}

	schema, err := c.s.schemaFor(req.Query)
	if err == nil && schema == c.s.schema {
		err = c.s.costs.check(req.Query, req.OperationName, req.Variables)
	}
	if err != nil {
		return refuse(err)
	}
	opCtx, stop := context.WithCancel(ctx)
	c.mu.Lock()
	c.ops[m.ID] = stop
	c.mu.Unlock()
	opCtx = auth.WithActor(opCtx, actor)
	opCtx = resolver.WithSubscriptionInfo(opCtx, resolver.RequestInfo{CorrelationID: uuid.Must(uuid.NewV7()).String()})
	responses, err := schema.Subscribe(opCtx, req.Query, req.OperationName, req.Variables)
	if err != nil {
		// Refused: the id is free again.
		c.mu.Lock()
		delete(c.ops, m.ID)
		c.mu.Unlock()
		stop()
		return refuse(err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			c.mu.Lock()
			_, running := c.ops[m.ID]
			delete(c.ops, m.ID)
			c.mu.Unlock()
			stop()
			if running { // the client did not complete it: tell it the operation ended
				_ = c.send(ctx, wsMessage{ID: m.ID, Type: msgComplete})
			}
		}()
		first := true
		for v := range responses {
			resp, ok := v.(*graphql.Response)
			if !ok {
				continue
			}
			codeErrors(resp)
			if first && resp.Data == nil && len(resp.Errors) > 0 {
				// Refused before running (syntax, validation, a resolver's own refusal):
				// the protocol's error message, which ends the operation.
				payload, _ := json.Marshal(resp.Errors)
				c.mu.Lock()
				delete(c.ops, m.ID)
				c.mu.Unlock()
				_ = c.send(ctx, wsMessage{ID: m.ID, Type: msgError, Payload: payload})
				return
			}
			first = false
			// The reader may have lost the right to see since the subscription began (a
			// coordinator dismissed, a browser session ended): nothing more reaches them.
			if err := c.stillAllowed(opCtx, actor); err != nil {
				if opCtx.Err() == nil {
					_ = c.c.Close(closeForbidden, "Forbidden: "+fault.MessageOf(err))
				}
				return
			}
			payload, _ := json.Marshal(resp)
			if err := c.send(opCtx, wsMessage{ID: m.ID, Type: msgNext, Payload: payload}); err != nil {
				return
			}
		}
	}()
	return true
}
