-- The associations read model, kept by the graph.associations projection.
-- seq is the order in which registrations were projected (delivery order): Relay cursors
-- are built on it, so associations registered later always come after existing cursors.
CREATE TABLE graph.associations (
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    name             text        NOT NULL,
    city             text        NOT NULL,
    origin_countries text[]      NOT NULL,
    status           text        NOT NULL,
    registered_at    timestamptz NOT NULL,
    verified_at      timestamptz,
    stream_version   bigint      NOT NULL
);

CREATE INDEX associations_city_seq_idx ON graph.associations (city, seq);
CREATE INDEX associations_status_seq_idx ON graph.associations (status, seq);
CREATE INDEX associations_origin_countries_idx ON graph.associations USING gin (origin_countries);

---- create above / drop below ----

DROP TABLE graph.associations;
