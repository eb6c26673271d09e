-- On the day of a session, coordinators check associations in at the door: a
-- registration's check-in time, its seats counted in attended_seats as attendance
-- recorded after the session is. No event before this version checked anyone in, so
-- every existing row is right with NULL and the sessions projection needs no rebuild.
ALTER TABLE graph.session_registrations ADD COLUMN checked_in_at timestamptz;

---- create above / drop below ----

ALTER TABLE graph.session_registrations DROP COLUMN checked_in_at;
