-- Idempotency keys of the notifications service's commands (see package command): a
-- coordinator's message sent twice with one key is written once.
CREATE TABLE notifications.idempotency_keys (
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

---- create above / drop below ----

DROP TABLE notifications.idempotency_keys;
