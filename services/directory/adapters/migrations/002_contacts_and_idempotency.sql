-- Keys sealing each association's contact person. Deleting a row is forgetting the
-- contact: the sealed copies in the event log can no longer be opened (crypto-shredding).
-- The data key is stored wrapped (encrypted) with the platform's master key. city says
-- who may read the contact (coordinators of that city), and follows the association.
CREATE TABLE directory.contact_keys (
    association_id uuid        PRIMARY KEY,
    city           text        NOT NULL,
    wrapped_key    bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Commands sent with an idempotency key, claimed in the transaction that stores their
-- events: a retry finds the key and gets the first outcome back instead of running
-- again. The outcome columns are filled before that transaction commits.
CREATE TABLE directory.idempotency_keys (
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

DROP TABLE directory.idempotency_keys;
DROP TABLE directory.contact_keys;
