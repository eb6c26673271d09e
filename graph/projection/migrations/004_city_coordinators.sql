-- The coordinators appointed in each city (projection graph.cities). The gateway lets a
-- coordinator's token act only while its row is here.
CREATE TABLE graph.city_coordinators (
    city         text        NOT NULL REFERENCES graph.cities (slug),
    id           uuid        NOT NULL,
    name         text        NOT NULL,
    appointed_at timestamptz NOT NULL,
    PRIMARY KEY (city, id)
);

---- create above / drop below ----

DROP TABLE graph.city_coordinators;
