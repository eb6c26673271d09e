-- The version of the code that built each projection's tables. A projection whose code
-- says a higher version is rebuilt into fresh tables when the gateway starts, while the
-- current ones keep serving, then swapped in.
CREATE TABLE graph.projection_versions (
    name       text        PRIMARY KEY,
    version    integer     NOT NULL,
    rebuilt_at timestamptz
);

---- create above / drop below ----

DROP TABLE graph.projection_versions;
