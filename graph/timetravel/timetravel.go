// Package timetravel answers "what did this look like then?": it rebuilds one object's
// read model as of an instant from the object's own events, with the projection that
// keeps the serving read model, into temporary copies of its tables that vanish with
// the transaction. The past state thus has exactly the shape, the rules and the
// visibility of the present one, and nothing is written.
package timetravel

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/projection"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/money"
)

// Log reads an object's stream.
type Log interface {
	ReadStream(ctx context.Context, stream string, from int64) ([]events.Recorded, error)
}

// Reader rebuilds past states. It is safe for concurrent use.
type Reader struct {
	pool     *pgxpool.Pool
	log      Log
	registry *events.Registry
}

// New returns a reader over the event log, decoding with registry and replaying in
// transactions of pool (the read models' database).
func New(pool *pgxpool.Pool, log Log, registry *events.Registry) *Reader {
	return &Reader{pool: pool, log: log, registry: registry}
}

// Association is the association as of asOf, if it existed then and vis lets the
// reader see it as it was.
func (r *Reader) Association(ctx context.Context, id string, asOf time.Time, vis readmodel.Visibility) (a readmodel.Association, found bool, err error) {
	err = r.replay(ctx, directoryevents.StreamID(id), asOf, projection.Associations{}, func(q tables.Querier) error {
		a, found, err = readmodel.NewAssociations(q).Get(ctx, id, vis)
		return err
	})
	return a, found, err
}

// Session is a dialogue session as of asOf, with its registrations then.
type Session struct {
	Session       readmodel.Session
	Registrations []readmodel.Registration
}

// Session returns the session as of asOf, if it had been scheduled by then.
func (r *Reader) Session(ctx context.Context, id string, asOf time.Time) (s Session, found bool, err error) {
	err = r.replay(ctx, sessionevents.SessionStreamID(id), asOf, projection.Sessions{}, func(q tables.Querier) error {
		reader := readmodel.NewSessions(q)
		if s.Session, found, err = reader.Session(ctx, id); err != nil || !found {
			return err
		}
		regs, err := reader.Registrations(ctx, []string{id})
		s.Registrations = regs[id]
		return err
	})
	return s, found, err
}

// Proposal is a proposal as of asOf, with its reviews, pledges and pledged totals then.
type Proposal struct {
	Proposal readmodel.Proposal
	Reviews  []readmodel.Review
	Pledges  []readmodel.Pledge
	Totals   []money.Money
}

// Proposal returns the proposal as of asOf, if it had been drafted by then and vis lets
// the reader see it as it was.
func (r *Reader) Proposal(ctx context.Context, id string, asOf time.Time, vis readmodel.ProposalVisibility) (p Proposal, found bool, err error) {
	err = r.replay(ctx, proposalevents.ProposalStreamID(id), asOf, projection.Proposals{}, func(q tables.Querier) error {
		reader := readmodel.NewProposals(q)
		if p.Proposal, found, err = reader.Proposal(ctx, id, vis); err != nil || !found {
			return err
		}
		ids := []string{id}
		d, err := reader.Details(ctx, readmodel.DetailsWanted{Reviews: ids, Pledges: ids, Totals: ids})
		p.Reviews, p.Pledges, p.Totals = d.Reviews[id], d.Pledges[id], d.Totals[id]
		return err
	})
	return p, found, err
}

// replay folds the events of stream recorded at or before asOf into temporary copies of
// p's tables, as a rebuild folds them, then lets read query the copies; the transaction
// is always rolled back.
func (r *Reader) replay(ctx context.Context, stream string, asOf time.Time, p projection.Owner, read func(tables.Querier) error) error {
	recs, err := r.log.ReadStream(ctx, stream, 0)
	if err != nil {
		return fmt.Errorf("timetravel: read %s: %w", stream, err)
	}
	n := 0
	for n < len(recs) && !recs[n].RecordedAt.After(asOf) {
		n++
	}
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("timetravel: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := tables.Copy(ctx, tx, tables.Temporary, p.Tables(), tables.CopyOptions{WithoutIndexes: true}); err != nil {
		return fmt.Errorf("timetravel: %w", err)
	}
	if _, err := projection.Replay(ctx, tables.Tx(tx, tables.Temporary), p, r.registry, stream, recs[:n]); err != nil {
		return fmt.Errorf("timetravel: %w", err)
	}
	return read(tables.In(tx, tables.Temporary))
}
