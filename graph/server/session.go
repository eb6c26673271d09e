package server

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
)

// SessionCookie is the cookie that keeps a browser signed in. It holds a random secret,
// never a token, and scripts cannot read it (HttpOnly).
const SessionCookie = "passerelle_session"

// SessionRoute is where a browser exchanges a token for a session (POST) and signs out
// (DELETE).
const SessionRoute = "/auth/session"

// errSessionEnded ends a WebSocket admitted by a browser session that has since ended.
var errSessionEnded = fault.New(fault.Unauthenticated, "the session ended: sign in again")

// Sessions keep browsers signed in (package websession). Without them, only bearer
// tokens authenticate.
type Sessions interface {
	// Open starts a session for actor until expires and returns its secret.
	Open(ctx context.Context, actor events.Actor, expires time.Time) (string, error)
	// Actor is the actor of the session with this secret; found is false when none is open.
	Actor(ctx context.Context, secret string) (actor events.Actor, found bool, err error)
	// Close ends the session with this secret.
	Close(ctx context.Context, secret string) error
}

var (
	errCrossOrigin      = fault.New(fault.Forbidden, "sign in from a page of this site")
	errSessionsDisabled = fault.New(fault.NotFound, "this server keeps no browser sessions; send the token in an Authorization header")
	errSignInBody       = fault.New(fault.BadUserInput, `send {"token": "…"} as application/json`)
)

// sessionSecret is the secret of r's session cookie when the browser may use it: r
// comes from a page of this server (its Origin, or the browser's Sec-Fetch-Site, says
// so) and, for a POST, is JSON, which a page of another site cannot send without asking
// first. A cookie on any other request is ignored: another site's page cannot act with
// the session of whoever visits it.
func (s *Server) sessionSecret(r *http.Request) string {
	if s.deps.Sessions == nil {
		return ""
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" || !s.sameOrigin(r) {
		return ""
	}
	if r.Method == http.MethodPost {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			return ""
		}
	}
	return c.Value
}

// sameOrigin tells whether a browser sent r from a page of this server. Browsers send
// Sec-Fetch-Site with every request, and Origin with every one but a same-origin GET; a
// client that sends neither is not a browser acting for someone else.
func (s *Server) sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if s.cfg.PublicOrigin != "" {
		return strings.EqualFold(strings.TrimRight(s.cfg.PublicOrigin, "/"), origin)
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) && u.Scheme == requestScheme(r)
}

// requestScheme is the scheme the browser used: https when the connection is TLS, or a
// proxy in front says it terminated TLS.
func requestScheme(r *http.Request) string {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return "https"
	}
	return "http"
}

// sessionActor is the actor of r's session cookie: anonymous without one (or with one
// that opens nothing, which is then cleared). A coordinator's session ends with the
// appointment.
func (s *Server) sessionActor(w http.ResponseWriter, r *http.Request, secret string) (events.Actor, error) {
	actor, found, err := s.deps.Sessions.Actor(r.Context(), secret)
	if err != nil {
		if r.Context().Err() == nil { // not a browser that went away
			s.deps.Logger.ErrorContext(r.Context(), "reading a browser session", "err", err)
		}
		return events.Anonymous, fault.New(fault.Unavailable, "cannot read the session now; try again")
	}
	if !found {
		s.clearSessionCookie(w, r)
		return events.Anonymous, nil
	}
	actor, err = s.checkAppointment(r.Context(), actor)
	if errors.Is(err, errNotAppointed) || errors.Is(err, errKeyRenewed) {
		if cerr := s.deps.Sessions.Close(r.Context(), secret); cerr != nil {
			s.deps.Logger.ErrorContext(r.Context(), "closing a session whose holder lost the right to it", "err", cerr)
		}
		s.clearSessionCookie(w, r)
	}
	return actor, err
}

type signInRequest struct {
	Token string `json:"token"`
}

type signInResponse struct {
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// serveSession opens a session for the token in the body (POST) or closes the
// browser's session (DELETE).
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.deps.Sessions == nil {
		writeErrors(w, http.StatusNotFound, errSessionsDisabled)
		return
	}
	if !s.sameOrigin(r) {
		writeErrors(w, http.StatusForbidden, errCrossOrigin)
		return
	}
	if ok, wait := s.limits.allow(clientKey(r, events.Anonymous), time.Now()); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		writeErrors(w, http.StatusTooManyRequests, errRateLimited)
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.signIn(w, r)
	case http.MethodDelete:
		if c, err := r.Cookie(SessionCookie); err == nil {
			if err := s.deps.Sessions.Close(r.Context(), c.Value); err != nil {
				s.deps.Logger.ErrorContext(r.Context(), "signing out", "err", err)
				writeErrors(w, http.StatusServiceUnavailable, fault.New(fault.Unavailable, "cannot sign out now; try again"))
				return
			}
		}
		s.clearSessionCookie(w, r)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "POST, DELETE")
		writeErrors(w, http.StatusMethodNotAllowed, fault.New(fault.BadUserInput, "POST a token to sign in, DELETE to sign out"))
	}
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		writeErrors(w, http.StatusUnsupportedMediaType, errSignInBody)
		return
	}
	var req signInRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil || strings.TrimSpace(req.Token) == "" {
		writeErrors(w, http.StatusBadRequest, errSignInBody)
		return
	}
	actor, expires, err := s.deps.Tokens.Verify(strings.TrimSpace(req.Token))
	if err == nil {
		actor, err = s.checkAppointment(r.Context(), actor)
	}
	if err != nil {
		s.deps.Logger.InfoContext(r.Context(), "refused a sign-in", "err", err)
		status := http.StatusUnauthorized
		if fault.CodeOf(err) == fault.Unavailable {
			status = http.StatusServiceUnavailable
		}
		writeErrors(w, status, err)
		return
	}
	if limit := time.Now().Add(s.cfg.SessionTTL); limit.Before(expires) {
		expires = limit
	}
	secret, err := s.deps.Sessions.Open(r.Context(), actor, expires)
	if err != nil {
		s.deps.Logger.ErrorContext(r.Context(), "opening a browser session", "err", err)
		writeErrors(w, http.StatusServiceUnavailable, fault.New(fault.Unavailable, "cannot sign in now; try again"))
		return
	}
	http.SetCookie(w, s.sessionCookie(r, secret, expires))
	writeJSON(w, http.StatusOK, signInResponse{Role: roleName(actor), ExpiresAt: expires.UTC().Truncate(time.Second)})
}

func (s *Server) sessionCookie(r *http.Request, value string, expires time.Time) *http.Cookie {
	c := &http.Cookie{
		Name: SessionCookie, Value: value, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: requestScheme(r) == "https" || strings.HasPrefix(s.cfg.PublicOrigin, "https:"),
	}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
		c.MaxAge = int(time.Until(expires).Seconds())
	}
	return c
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, s.sessionCookie(r, "", time.Time{}))
}

// roleName is the Role enum's name of an actor's role, as GraphQL's viewer gives it.
func roleName(a events.Actor) string {
	if !a.IsAuthenticated() {
		return "ANONYMOUS"
	}
	return strings.ToUpper(a.Role.String())
}
