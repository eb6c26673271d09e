-- btree_gist lets an exclusion constraint compare a venue by equality and a time range
-- by overlap in one index (shipped with PostgreSQL, trusted).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Venues booked by scheduled sessions, changed in the transaction that schedules,
-- moves or cancels a session: two sessions at one venue never overlap, even when
-- scheduled at the same moment. Ranges are half-open, so a session may start when the
-- previous one ends.
CREATE TABLE sessions.venue_bookings (
    session_id uuid      PRIMARY KEY,
    venue_key  text      NOT NULL,
    during     tstzrange NOT NULL,
    CONSTRAINT venue_bookings_no_overlap EXCLUDE USING gist (venue_key WITH =, during WITH &&)
);

-- Idempotency keys of the sessions service's commands (see package command).
CREATE TABLE sessions.idempotency_keys (
    scope           text        NOT NULL,
    key             text        NOT NULL,
    request_hash    text        NOT NULL,
    stream_id       text,
    stream_version  bigint,
    global_position bigint,
    transaction_id  xid8,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- What the sessions service knows of associations: their status, from the directory's
-- events (projection sessions.associations). Only verified associations register.
CREATE TABLE sessions.associations (
    id     uuid PRIMARY KEY,
    status text NOT NULL
);

---- create above / drop below ----

DROP TABLE sessions.associations;
DROP TABLE sessions.idempotency_keys;
DROP TABLE sessions.venue_bookings;
