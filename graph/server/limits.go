package server

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"passerelle.dev/events"
)

// clientLimits gives each client a token bucket: a client is the holder of a token
// (role and subject), or else the remote address. Idle buckets are dropped, so the
// map stays as small as the set of recent clients. It is safe for concurrent use.
type clientLimits struct {
	every rate.Limit
	burst int

	mu        sync.Mutex
	clients   map[string]*client
	lastSweep time.Time
}

type client struct {
	limiter *rate.Limiter
	seen    time.Time
}

// idleClient is how long a client's bucket is kept after its last request.
const idleClient = 10 * time.Minute

func newClientLimits(perSecond float64, burst int) *clientLimits {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	return &clientLimits{every: rate.Limit(perSecond), burst: burst, clients: map[string]*client{}}
}

// allow takes a token from the client's bucket; when there is none, it says how long
// until there will be.
func (l *clientLimits) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for k, c := range l.clients {
			if now.Sub(c.seen) > idleClient {
				delete(l.clients, k)
			}
		}
		l.lastSweep = now
	}
	c, ok := l.clients[key]
	if !ok {
		c = &client{limiter: rate.NewLimiter(l.every, l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	r := c.limiter.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// clientKey names the client of a request for rate limiting.
func clientKey(r *http.Request, a events.Actor) string {
	switch {
	case a.AssociationID != "":
		return "association:" + a.AssociationID
	case a.IsAuthenticated() && a.Subject != "":
		return a.Role.String() + ":" + a.Subject
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "address:" + host
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(d/time.Second) + 1)
}
