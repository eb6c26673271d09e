-- Institutions, their requests for expertise and the matches, as their aggregates stand:
-- written in the transaction of every change (the events are the truth; these are the
-- service's own reads of them). Nothing personal is here: an expert appears by id
-- only, and what an institution may see of them is read from experts.profiles, which
-- erasure empties.
CREATE TABLE experts.institutions (
    institution_id uuid        PRIMARY KEY,
    status         text        NOT NULL,
    profile        jsonb       NOT NULL,
    reason         text        NOT NULL DEFAULT '',
    registered_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX institutions_status ON experts.institutions (status, registered_at);

CREATE TABLE experts.requests (
    request_id     uuid        PRIMARY KEY,
    institution_id uuid        NOT NULL REFERENCES experts.institutions,
    status         text        NOT NULL,
    terms          jsonb       NOT NULL,
    country        text        NOT NULL,
    fields         text[]      NOT NULL,
    reason         text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    opened_at      timestamptz,
    version        bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX requests_listing ON experts.requests (created_at DESC, request_id DESC);
CREATE INDEX requests_institution ON experts.requests (institution_id);

CREATE TABLE experts.matches (
    request_id  uuid        NOT NULL REFERENCES experts.requests,
    expert_id   uuid        NOT NULL,
    status      text        NOT NULL,
    score       int         NOT NULL,
    declined_by text        NOT NULL DEFAULT '',
    proposed_at timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (request_id, expert_id)
);
CREATE INDEX matches_expert ON experts.matches (expert_id);

---- create above / drop below ----

DROP TABLE experts.matches;
DROP TABLE experts.requests;
DROP TABLE experts.institutions;
