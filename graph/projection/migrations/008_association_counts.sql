-- How many associations there are by status, city and country of origin, kept by the
-- associations projection with the associations themselves: a directory page's
-- totalCount for a city and an origin reads one row instead of visiting every matching
-- association (~1,250 rows of ~2.5 KB on 100,000 associations). An empty city or
-- origin_country stands for all of them, so each association counts once in
-- 2 × (its origins + 1) rows, and any combination of the three is one row.
CREATE TABLE graph.association_counts (
    status         text   NOT NULL,
    city           text   NOT NULL,
    origin_country text   NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (status, city, origin_country)
);

INSERT INTO graph.association_counts (status, city, origin_country, n)
SELECT a.status, c, o, count(*)
FROM graph.associations a,
     unnest(ARRAY[a.city, '']) c,
     LATERAL (SELECT DISTINCT x FROM unnest(array_append(a.origin_countries, '')) x) origins(o)
GROUP BY 1, 2, 3;

---- create above / drop below ----

DROP TABLE graph.association_counts;
