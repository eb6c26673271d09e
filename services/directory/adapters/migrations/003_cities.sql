-- The cities the sessions service opened, from its CityOpened events (projection
-- directory.cities): associations register in these, and in the founding cities, which
-- the contract names (sessionevents.FoundingCities) before their events arrive.
CREATE TABLE directory.cities (
    slug    text PRIMARY KEY,
    country text NOT NULL
);

---- create above / drop below ----

DROP TABLE directory.cities;
