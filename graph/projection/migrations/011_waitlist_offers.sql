-- Waitlist offers: a session's offer hours (zero: freed seats are promoted at once), the
-- seats held by outstanding offers, and when a registration's offer expires. No event
-- before this version made an offer, so every existing row is right with the defaults
-- and the sessions projection needs no rebuild.
ALTER TABLE graph.sessions ADD COLUMN offer_hours integer NOT NULL DEFAULT 0;
ALTER TABLE graph.sessions ADD COLUMN offered_seats integer NOT NULL DEFAULT 0;
ALTER TABLE graph.session_registrations ADD COLUMN offer_expires_at timestamptz;

---- create above / drop below ----

ALTER TABLE graph.session_registrations DROP COLUMN offer_expires_at;
ALTER TABLE graph.sessions DROP COLUMN offered_seats;
ALTER TABLE graph.sessions DROP COLUMN offer_hours;
