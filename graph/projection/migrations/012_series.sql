-- Series of sessions (projection graph.series), and each session's place in its series.
-- No event before this version made a series, so existing sessions are right with NULL
-- and the sessions projection needs no rebuild.
CREATE TABLE graph.session_series (
    id               uuid        PRIMARY KEY,
    seq              bigint      NOT NULL UNIQUE,
    city             text        NOT NULL,
    title_en         text        NOT NULL,
    title_fr         text        NOT NULL,
    title_es         text        NOT NULL,
    recurrence       jsonb       NOT NULL,
    first_date       text        NOT NULL,
    local_time       text        NOT NULL,
    duration_minutes integer     NOT NULL,
    -- The time and length the recurrence was scheduled with: a calendar's rule keeps
    -- them, and sessions moved since are its exceptions (RECURRENCE-ID).
    rule_local_time       text    NOT NULL,
    rule_duration_minutes integer NOT NULL,
    time_zone        text        NOT NULL,
    exceptions       text[]      NOT NULL,
    -- What became of each date: {date, sessionId} or {date, refusal, reason}.
    occurrences      jsonb       NOT NULL,
    -- The first date the rest of the series was cancelled from, if it was.
    cancelled_from   text,
    updated_at       timestamptz NOT NULL,
    stream_version   bigint      NOT NULL
);

ALTER TABLE graph.sessions ADD COLUMN series_id uuid;
ALTER TABLE graph.sessions ADD COLUMN occurrence text;
CREATE INDEX sessions_series_idx ON graph.sessions (series_id) WHERE series_id IS NOT NULL;

---- create above / drop below ----

DROP INDEX graph.sessions_series_idx;
ALTER TABLE graph.sessions DROP COLUMN occurrence;
ALTER TABLE graph.sessions DROP COLUMN series_id;
DROP TABLE graph.session_series;
