-- Browsers signed in with a token keep a session: the cookie holds a random secret,
-- this table its SHA-256 and the actor it speaks for. Signing out deletes the row;
-- a row past its expiry is never honoured and is swept away.
CREATE TABLE web.sessions (
    secret_hash    bytea       PRIMARY KEY,
    role           text        NOT NULL,
    subject        text        NOT NULL DEFAULT '',
    city           text        NOT NULL DEFAULT '',
    association_id text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);

CREATE INDEX sessions_by_expiry ON web.sessions (expires_at);

---- create above / drop below ----

DROP TABLE web.sessions;
