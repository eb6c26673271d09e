-- When each outstanding waitlist offer expires: the offer timer's durable state,
-- written in the transaction that appends the offer (and deleted in the one that
-- answers, expires or cancels it), so a restart finds every offer still to expire and
-- none twice. Sessions scheduled before offers existed have none.
CREATE TABLE sessions.offer_deadlines (
    registration_id uuid        PRIMARY KEY,
    session_id      uuid        NOT NULL,
    due_at          timestamptz NOT NULL
);
CREATE INDEX offer_deadlines_due ON sessions.offer_deadlines (due_at);
CREATE INDEX offer_deadlines_session ON sessions.offer_deadlines (session_id);

---- create above / drop below ----

DROP TABLE sessions.offer_deadlines;
