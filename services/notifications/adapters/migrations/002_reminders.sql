-- Reminders of a session, 48 hours (two days on the city's clocks) and 2 hours before
-- it, to the associations holding confirmed seats: kept by the notifier as sessions are
-- scheduled, moved or cancelled, and written to the outbox by the reminder clock when
-- due (done then, in the same transaction), so a restart neither loses nor repeats one.
CREATE TABLE notifications.reminders (
    session_id uuid        NOT NULL,
    kind       text        NOT NULL,
    due_at     timestamptz NOT NULL,
    done       boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (session_id, kind)
);
CREATE INDEX reminders_due ON notifications.reminders (due_at) WHERE NOT done;

-- Whether a registration holds confirmed seats (reminders go to those only), and the
-- seats it used (a coordinator's message may go to those who came).
ALTER TABLE notifications.registrations ADD COLUMN confirmed boolean NOT NULL DEFAULT false;
ALTER TABLE notifications.registrations ADD COLUMN attended integer;

---- create above / drop below ----

ALTER TABLE notifications.registrations DROP COLUMN attended;
ALTER TABLE notifications.registrations DROP COLUMN confirmed;
DROP TABLE notifications.reminders;
