-- The event log. One row per event; a stream is the rows sharing a stream_id.
--
-- global_position orders events as they were inserted; transaction_id (the writer's
-- xid8) orders them as they became visible. Readers go in (transaction_id,
-- global_position) order and stop below the oldest running transaction, so a
-- transaction that took a low position but commits late is never skipped.
CREATE TABLE eventstore.events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid        NOT NULL,
    stream_id       text        NOT NULL CHECK (stream_id <> ''),
    stream_version  bigint      NOT NULL CHECK (stream_version > 0),
    event_type      text        NOT NULL CHECK (event_type <> ''),
    schema_version  integer     NOT NULL CHECK (schema_version > 0),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- Appending the same event twice (a retried request) stores it once.
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    -- Optimistic concurrency: two writers cannot both take version N of a stream.
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_delivery_idx ON eventstore.events (transaction_id, global_position);

-- Durable position of each consumer group (a projection, a process manager). Advanced
-- in the same transaction as the consumer's own writes.
CREATE TABLE eventstore.consumer_offsets (
    consumer_group                text        PRIMARY KEY,
    offset_acked                  bigint      NOT NULL DEFAULT 0,
    last_processed_transaction_id xid8        NOT NULL DEFAULT '0',
    updated_at                    timestamptz NOT NULL DEFAULT now()
);

-- Events a consumer could never process (undecodable payload, a bug marked permanent).
-- Same shape as watermill-sql's PostgreSQL messages table, because Watermill's poison
-- queue middleware writes them through a watermill-sql publisher.
CREATE TABLE eventstore.poisoned_messages (
    "offset"       bigserial,
    uuid           varchar(36) NOT NULL,
    created_at     timestamp   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    payload        json,
    metadata       json,
    transaction_id xid8        NOT NULL,
    PRIMARY KEY (transaction_id, "offset")
);

---- create above / drop below ----

DROP TABLE eventstore.poisoned_messages;
DROP TABLE eventstore.consumer_offsets;
DROP TABLE eventstore.events;
