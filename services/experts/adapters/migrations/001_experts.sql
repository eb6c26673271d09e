-- Each expert's data key, wrapped with the master key (see events/sealing): everything
-- personal in the expert's events is sealed under it, and erasure deletes it.
CREATE TABLE experts.expert_keys (
    subject_id  uuid  PRIMARY KEY,
    wrapped_key bytea NOT NULL
);

-- Idempotency keys of the experts service's commands (see package command).
CREATE TABLE experts.idempotency_keys (
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

-- The experts as their aggregates stand, in clear: written in the transaction of every
-- change, deleted in the one that erases the expert (with their key). The service's own
-- reads (roster, verification queue, matching, retention) come from here; it is never
-- copied out of the service, and a rebuild from the events cannot bring an erased expert
-- back.
CREATE TABLE experts.profiles (
    expert_id   uuid        PRIMARY KEY,
    status      text        NOT NULL,
    consents    text[]      NOT NULL,
    profile     jsonb       NOT NULL,
    last_active timestamptz NOT NULL,
    reminded_at timestamptz,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX profiles_roster ON experts.profiles (status) WHERE 'ROSTER' = ANY (consents);

---- create above / drop below ----

DROP TABLE experts.profiles;
DROP TABLE experts.idempotency_keys;
DROP TABLE experts.expert_keys;
