-- The cities of the dialogue (projection graph.cities).
CREATE TABLE graph.cities (
    slug      text        PRIMARY KEY,
    seq       bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    name      text        NOT NULL,
    time_zone text        NOT NULL,
    country   text        NOT NULL,
    opened_at timestamptz NOT NULL
);

-- Sessions and their registrations (projection graph.sessions). Seat counts are kept
-- with the session, recounted from its registrations at every registration event.
CREATE TABLE graph.sessions (
    id                    uuid        PRIMARY KEY,
    seq                   bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    city                  text        NOT NULL,
    title_en              text        NOT NULL,
    title_fr              text        NOT NULL,
    title_es              text        NOT NULL,
    description_en        text        NOT NULL,
    description_fr        text        NOT NULL,
    description_es        text        NOT NULL,
    theme                 text        NOT NULL,
    origin_countries      text[]      NOT NULL,
    venue_name            text        NOT NULL,
    venue_address         text        NOT NULL,
    start_at              timestamptz NOT NULL,
    end_at                timestamptz NOT NULL,
    local_start           text        NOT NULL,
    time_zone             text        NOT NULL,
    duration_minutes      integer     NOT NULL,
    registration_deadline timestamptz NOT NULL,
    capacity              integer     NOT NULL,
    confirmed_seats       integer     NOT NULL DEFAULT 0,
    waitlist_length       integer     NOT NULL DEFAULT 0,
    status                text        NOT NULL,
    cancellation_reason   text        NOT NULL DEFAULT '',
    stakeholders          jsonb       NOT NULL,
    outcome               jsonb,
    -- Seats used, summed over the registrations once attendance is recorded.
    attended_seats        integer,
    updated_at            timestamptz NOT NULL,
    stream_version        bigint      NOT NULL
);

CREATE INDEX sessions_city_start_idx ON graph.sessions (city, start_at, seq);
CREATE INDEX sessions_start_idx ON graph.sessions (start_at, seq);
CREATE INDEX sessions_origin_countries_idx ON graph.sessions USING gin (origin_countries);

CREATE TABLE graph.session_registrations (
    id             uuid        PRIMARY KEY,
    session_id     uuid        NOT NULL REFERENCES graph.sessions (id) ON DELETE CASCADE,
    association_id uuid        NOT NULL,
    seats          integer     NOT NULL,
    status         text        NOT NULL,
    -- The session's stream version at registration: arrival order, waitlist order.
    arrival        bigint      NOT NULL,
    registered_at  timestamptz NOT NULL,
    attended_seats integer,
    UNIQUE (session_id, arrival)
);

CREATE INDEX session_registrations_association_idx ON graph.session_registrations (association_id);

---- create above / drop below ----

DROP TABLE graph.session_registrations;
DROP TABLE graph.sessions;
DROP TABLE graph.cities;
