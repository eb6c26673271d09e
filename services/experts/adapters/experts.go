// Package adapters connects the experts service to PostgreSQL: experts are event
// streams whose personal parts are sealed under each expert's data key; the keys,
// idempotency keys and the service's own clear read of each expert live in its schema.
package adapters

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/kernel/sealing"
	"passerelle.dev/servicekit/command"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the experts service's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("experts", migrationFiles, "migrations")
}

// Experts stores experts. Changes of one expert are serialised by an advisory lock on
// its stream.
type Experts struct {
	store    *eventstore.Store
	registry *events.Registry
	keys     *sealing.Keys
	idem     command.Keys
}

// NewExperts returns the repository; registry must know the experts events; masterKey
// wraps the experts' data keys.
func NewExperts(store *eventstore.Store, registry *events.Registry, masterKey []byte) (*Experts, error) {
	keys, err := sealing.NewKeys("experts.expert_keys", "expert", masterKey)
	if err != nil {
		return nil, err
	}
	return &Experts{store: store, registry: registry, keys: keys, idem: command.NewKeys("experts")}, nil
}

// Add stores a newly registered expert, with a data key of their own.
func (r *Experts) Add(ctx context.Context, e *expert.Expert, md events.Metadata, key command.Key) (command.Outcome, error) {
	var o command.Outcome
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.idem.Claim(ctx, tx, key); err != nil {
			return err
		}
		subject, err := r.keys.Create(ctx, tx, e.ID())
		if err != nil {
			return err
		}
		if o, err = r.append(ctx, tx, subject, e, eventstore.NoStream, md); err != nil {
			return err
		}
		return r.idem.Record(ctx, tx, key, o)
	})
	return r.settle(ctx, key, o, err)
}

// Update loads an expert, lets change decide, and stores what it recorded; an erasure
// destroys the expert's key in the same transaction.
func (r *Experts) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*expert.Expert) error) (*expert.Expert, command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, command.Outcome{}, expert.ErrNotFound
	}
	var (
		e *expert.Expert
		o command.Outcome
	)
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.idem.Claim(ctx, tx, key); err != nil {
			return err
		}
		stream := expertevents.StreamID(id)
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, stream); err != nil {
			return fmt.Errorf("lock %s: %w", stream, err)
		}
		subject, _, err := r.keys.Load(ctx, tx, id)
		if err != nil {
			return err
		}
		if e, err = r.load(ctx, tx, id, subject); err != nil {
			return err
		}
		if err := change(e); err != nil {
			return err
		}
		o = command.Outcome{StreamID: stream, Version: e.Version()}
		if len(e.PendingEvents()) > 0 {
			if o, err = r.append(ctx, tx, subject, e, eventstore.AtVersion(e.Version()), md); err != nil {
				return err
			}
		}
		return r.idem.Record(ctx, tx, key, o)
	})
	o, err = r.settle(ctx, key, o, err)
	if err != nil {
		return nil, command.Outcome{}, err
	}
	return e, o, nil
}

func (r *Experts) settle(ctx context.Context, key command.Key, o command.Outcome, err error) (command.Outcome, error) {
	if !errors.Is(err, command.ErrTwin) {
		return o, err
	}
	replayed, ok, ferr := r.idem.Find(ctx, r.store.Pool(), key)
	if ferr != nil {
		return command.Outcome{}, ferr
	}
	if !ok {
		return command.Outcome{}, fmt.Errorf("idempotency key %q claimed but not recorded", key.Key)
	}
	replayed.Replayed = true
	return replayed, nil
}

// Replay returns the outcome recorded for an idempotency key.
func (r *Experts) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.idem.Find(ctx, r.store.Pool(), key)
}

// append seals the expert's pending events, appends them, and brings the service's clear
// read of the expert up to date (or deletes it, with the key, when the expert is erased).
func (r *Experts) append(ctx context.Context, tx pgx.Tx, subject sealing.Subject, e *expert.Expert, expected eventstore.ExpectedVersion, md events.Metadata) (command.Outcome, error) {
	pending := e.PendingEvents()
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		payload, err := toContract(subject, e.ID(), p)
		if err != nil {
			return command.Outcome{}, err
		}
		if evs[i], err = r.registry.New(payload, md); err != nil {
			return command.Outcome{}, err
		}
	}
	recs, err := r.store.AppendInTx(ctx, tx, expertevents.StreamID(e.ID()), expected, evs...)
	if err != nil {
		return command.Outcome{}, err
	}
	if e.Status() == expert.Erased {
		if err := r.keys.Destroy(ctx, tx, e.ID()); err != nil {
			return command.Outcome{}, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM experts.profiles WHERE expert_id = $1`, e.ID()); err != nil {
			return command.Outcome{}, fmt.Errorf("forget the read of %s: %w", e.ID(), err)
		}
	} else if err := writeProfile(ctx, tx, e); err != nil {
		return command.Outcome{}, err
	}
	last := recs[len(recs)-1]
	return command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}, nil
}

func writeProfile(ctx context.Context, tx pgx.Tx, e *expert.Expert) error {
	profile, err := json.Marshal(e.Profile())
	if err != nil {
		return err
	}
	consents := []string{}
	for _, c := range e.Consents() {
		consents = append(consents, c.Purpose)
	}
	var reminded *time.Time
	if at := e.RemindedAt(); !at.IsZero() {
		reminded = &at
	}
	_, err = tx.Exec(ctx, `INSERT INTO experts.profiles (expert_id, status, consents, profile, last_active, reminded_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, now())
		ON CONFLICT (expert_id) DO UPDATE SET status = excluded.status, consents = excluded.consents, profile = excluded.profile,
			last_active = excluded.last_active, reminded_at = excluded.reminded_at, updated_at = now()`,
		e.ID(), string(e.Status()), consents, profile, e.LastActive(), reminded)
	if err != nil {
		return fmt.Errorf("the read of %s: %w", e.ID(), err)
	}
	return nil
}

// Load returns an expert as their events tell them; an erased expert comes back with
// nothing personal.
func (r *Experts) Load(ctx context.Context, id string) (*expert.Expert, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, expert.ErrNotFound
	}
	subject, _, err := r.keys.Load(ctx, r.store.Pool(), id)
	if err != nil {
		return nil, err
	}
	return r.load(ctx, nil, id, subject)
}

func (r *Experts) load(ctx context.Context, tx pgx.Tx, id string, subject sealing.Subject) (*expert.Expert, error) {
	stream := expertevents.StreamID(id)
	var (
		recs []events.Recorded
		err  error
	)
	if tx != nil {
		recs, err = r.store.ReadStreamIn(ctx, tx, stream, 1)
	} else {
		recs, err = r.store.ReadStream(ctx, stream, 1)
	}
	if err != nil {
		return nil, err
	}
	history := make([]expert.Recorded, len(recs))
	for i, rec := range recs {
		payload, err := r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
		if history[i], err = fromContract(subject, payload); err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	e, err := expert.FromHistory(history)
	if err != nil {
		return nil, err
	}
	e.SetID(id)
	return e, nil
}

// toContract turns a domain event into the published one, sealing what is personal.
func toContract(s sealing.Subject, id string, r expert.Recorded) (any, error) {
	sealJSON := func(v any) (expertevents.Sealed, error) {
		if !s.Known() {
			return expertevents.Sealed{}, fmt.Errorf("expert %s has no data key", id)
		}
		plain, err := json.Marshal(v)
		if err != nil {
			return expertevents.Sealed{}, err
		}
		c, err := s.Seal(plain)
		return expertevents.Sealed{Ciphertext: c}, err
	}
	switch ev := r.Event.(type) {
	case expert.Registered:
		p, err := sealJSON(ev.Profile)
		return expertevents.ExpertRegistered{ExpertID: id, Profile: p, At: r.At}, err
	case expert.ProfileUpdated:
		p, err := sealJSON(ev.Profile)
		return expertevents.ExpertProfileUpdated{ExpertID: id, Profile: p, At: r.At}, err
	case expert.VerifiedEvent:
		return expertevents.ExpertVerified{ExpertID: id, At: r.At}, nil
	case expert.RejectedEvent:
		reason, err := sealJSON(ev.Reason)
		return expertevents.ExpertRejected{ExpertID: id, Reason: reason, At: r.At}, err
	case expert.ConsentGiven:
		return expertevents.ConsentGiven{ExpertID: id, Purpose: ev.Purpose, WordingVersion: ev.WordingVersion, At: r.At}, nil
	case expert.ConsentEnded:
		return expertevents.ConsentWithdrawn{ExpertID: id, Purpose: ev.Purpose, At: r.At}, nil
	case expert.Reminded:
		return expertevents.ExpertReminded{ExpertID: id, At: r.At}, nil
	case expert.ErasedEvent:
		return expertevents.ExpertErased{ExpertID: id, Why: ev.Why, At: r.At}, nil
	}
	return nil, fmt.Errorf("no contract for %T", r.Event)
}

// fromContract turns a published event back into the domain's, opening what is sealed
// while the expert's key exists; without it, the personal parts stay empty.
func fromContract(s sealing.Subject, payload any) (expert.Recorded, error) {
	open := func(sealed expertevents.Sealed, into any) error {
		if !s.Known() {
			return nil // erased: nothing to read
		}
		plain, err := s.Open(sealed.Ciphertext)
		if err != nil {
			return fmt.Errorf("open a sealed part: %w", err)
		}
		return json.Unmarshal(plain, into)
	}
	switch e := payload.(type) {
	case expertevents.ExpertRegistered:
		var p expert.Profile
		err := open(e.Profile, &p)
		return expert.Recorded{Event: expert.Registered{Profile: p}, At: e.At}, err
	case expertevents.ExpertProfileUpdated:
		var p expert.Profile
		err := open(e.Profile, &p)
		return expert.Recorded{Event: expert.ProfileUpdated{Profile: p}, At: e.At}, err
	case expertevents.ExpertVerified:
		return expert.Recorded{Event: expert.VerifiedEvent{}, At: e.At}, nil
	case expertevents.ExpertRejected:
		var reason string
		err := open(e.Reason, &reason)
		return expert.Recorded{Event: expert.RejectedEvent{Reason: reason}, At: e.At}, err
	case expertevents.ConsentGiven:
		return expert.Recorded{Event: expert.ConsentGiven{Purpose: e.Purpose, WordingVersion: e.WordingVersion}, At: e.At}, nil
	case expertevents.ConsentWithdrawn:
		return expert.Recorded{Event: expert.ConsentEnded{Purpose: e.Purpose}, At: e.At}, nil
	case expertevents.ExpertReminded:
		return expert.Recorded{Event: expert.Reminded{}, At: e.At}, nil
	case expertevents.ExpertErased:
		return expert.Recorded{Event: expert.ErasedEvent{Why: e.Why}, At: e.At}, nil
	}
	return expert.Recorded{}, fmt.Errorf("unknown event %T", payload)
}
