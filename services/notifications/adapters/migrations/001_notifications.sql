-- What the notifier knows to write to associations, from the events (projection
-- notifications.notifier): associations (the sealed contact, opened only when a message
-- is sent), cities, sessions and their registrations, proposals.
CREATE TABLE notifications.recipients (
    association_id uuid   PRIMARY KEY,
    name           text   NOT NULL,
    languages      text[] NOT NULL DEFAULT '{}',
    -- The sealed contact person; NULL when none, or forgotten.
    contact        bytea
);

CREATE TABLE notifications.cities (
    slug text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE notifications.sessions (
    id            uuid        PRIMARY KEY,
    city          text        NOT NULL,
    title_en      text        NOT NULL,
    title_fr      text        NOT NULL,
    title_es      text        NOT NULL,
    start_at      timestamptz NOT NULL,
    time_zone     text        NOT NULL,
    venue_name    text        NOT NULL,
    venue_address text        NOT NULL
);

CREATE TABLE notifications.registrations (
    id             uuid    PRIMARY KEY,
    session_id     uuid    NOT NULL,
    association_id uuid    NOT NULL,
    seats          integer NOT NULL,
    -- Whether it still holds or waits for seats: those are told of a move or a
    -- cancellation.
    active         boolean NOT NULL
);
CREATE INDEX registrations_session ON notifications.registrations (session_id) WHERE active;

CREATE TABLE notifications.proposals (
    id             uuid PRIMARY KEY,
    association_id uuid NOT NULL,
    title_en       text NOT NULL,
    title_fr       text NOT NULL,
    title_es       text NOT NULL
);

-- The outbox: every message to send, written in the transaction that handles the event
-- causing it (its id derived from that event and the recipient, so handling the event
-- again writes nothing), sent by the sender, which opens the recipient's contact only
-- then. status: PENDING, SENT, DROPPED (no contact person to write to) or FAILED (gave
-- up after repeated refusals). A PENDING message is due at due_at: the sender claims one
-- by moving due_at past a lease, so a sender that dies while sending leaves it to be
-- retried once the lease runs out.
CREATE TABLE notifications.outbox (
    id             uuid        PRIMARY KEY,
    association_id uuid        NOT NULL,
    kind           text        NOT NULL,
    language       text        NOT NULL,
    subject        text        NOT NULL,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL,
    due_at         timestamptz NOT NULL,
    status         text        NOT NULL DEFAULT 'PENDING',
    attempts       integer     NOT NULL DEFAULT 0,
    sent_at        timestamptz,
    last_error     text        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON notifications.outbox (due_at) WHERE status = 'PENDING';
CREATE INDEX outbox_created ON notifications.outbox (created_at DESC, id);

---- create above / drop below ----

DROP TABLE notifications.outbox;
DROP TABLE notifications.proposals;
DROP TABLE notifications.registrations;
DROP TABLE notifications.sessions;
DROP TABLE notifications.cities;
DROP TABLE notifications.recipients;
