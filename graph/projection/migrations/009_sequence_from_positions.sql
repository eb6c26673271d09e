-- The sequence numbers that order pages ("in the order they came", and the tiebreaker of
-- every other order) become the global position of the event that created the row, set
-- by the projection, instead of an identity handed out as rows are inserted. A rebuild
-- folds each stream's events in memory and writes the rows stream by stream: only a
-- number that comes from the log itself lets it give every row the number the
-- projection gave it, meeting the events in log order.
--
-- Existing rows keep their numbers until their projection is rebuilt (their versions
-- went up with this change, so the gateway rebuilds them when it starts). A row created
-- meanwhile gets a position, larger than any identity handed out so far: the log holds
-- more events than any table has rows.
ALTER TABLE graph.associations ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE graph.cities ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE graph.sessions ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE graph.calls ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE graph.proposals ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE graph.proposal_pledges ALTER COLUMN seq DROP IDENTITY;

---- create above / drop below ----

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['associations', 'cities', 'sessions', 'calls', 'proposals', 'proposal_pledges'] LOOP
        EXECUTE format('ALTER TABLE graph.%I ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY', t);
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce((SELECT max(seq) FROM graph.%I), 0) + 1, false)',
            'graph.' || t, 'seq', t);
    END LOOP;
END $$;
