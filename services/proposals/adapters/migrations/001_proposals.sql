-- Idempotency keys of the proposals service's commands (see package command).
CREATE TABLE proposals.idempotency_keys (
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

-- What the proposals service knows of associations: their status, from the directory's
-- events (projection proposals.associations). Only verified associations propose.
CREATE TABLE proposals.associations (
    id     uuid PRIMARY KEY,
    status text NOT NULL
);

-- The dialogue sessions that exist, from the sessions service's events (projection
-- proposals.sessions): a proposal may name the session where it was presented.
CREATE TABLE proposals.sessions (
    id uuid PRIMARY KEY
);

---- create above / drop below ----

DROP TABLE proposals.sessions;
DROP TABLE proposals.associations;
DROP TABLE proposals.idempotency_keys;
