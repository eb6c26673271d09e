-- Calls for proposals (projection graph.calls).
CREATE TABLE graph.calls (
    id                 uuid        PRIMARY KEY,
    seq                bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    title_en           text        NOT NULL,
    title_fr           text        NOT NULL,
    title_es           text        NOT NULL,
    description_en     text        NOT NULL,
    description_fr     text        NOT NULL,
    description_es     text        NOT NULL,
    themes             text[]      NOT NULL,
    eligible_countries text[]      NOT NULL,
    ceiling            bigint      NOT NULL,
    currency           text        NOT NULL,
    opens_at           timestamptz NOT NULL,
    closes_at          timestamptz NOT NULL,
    closed_at          timestamptz,
    opened_at          timestamptz NOT NULL
);

CREATE INDEX calls_closes_idx ON graph.calls (closes_at, seq);

-- Proposals, their reviews and pledges (projection graph.proposals).
CREATE TABLE graph.proposals (
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    call_id          uuid        NOT NULL,
    association_id   uuid        NOT NULL,
    status           text        NOT NULL,
    title_en         text        NOT NULL,
    title_fr         text        NOT NULL,
    title_es         text        NOT NULL,
    summary_en       text        NOT NULL,
    summary_fr       text        NOT NULL,
    summary_es       text        NOT NULL,
    sector           text        NOT NULL,
    countries        text[]      NOT NULL,
    budget           bigint      NOT NULL,
    currency         text        NOT NULL,
    duration_months  integer     NOT NULL,
    budget_lines     jsonb       NOT NULL,
    partner_kinds    text[]      NOT NULL,
    session_id       uuid,
    -- The reason of the last step that gave one: changes requested, decision, withdrawal.
    status_reason    text        NOT NULL DEFAULT '',
    drafted_at       timestamptz NOT NULL,
    submitted_at     timestamptz,
    decided_at       timestamptz,
    updated_at       timestamptz NOT NULL,
    stream_version   bigint      NOT NULL
);

CREATE INDEX proposals_status_idx ON graph.proposals (status, seq);
CREATE INDEX proposals_call_idx ON graph.proposals (call_id, seq);
CREATE INDEX proposals_association_idx ON graph.proposals (association_id, seq);
CREATE INDEX proposals_countries_idx ON graph.proposals USING gin (countries);

CREATE TABLE graph.proposal_reviews (
    proposal_id   uuid        NOT NULL REFERENCES graph.proposals (id) ON DELETE CASCADE,
    reviewer_id   text        NOT NULL,
    reviewer_role text        NOT NULL,
    scores        jsonb       NOT NULL,
    comment       text        NOT NULL,
    revisions     integer     NOT NULL DEFAULT 0,
    reviewed_at   timestamptz NOT NULL,
    PRIMARY KEY (proposal_id, reviewer_id)
);

CREATE TABLE graph.proposal_pledges (
    id              uuid        PRIMARY KEY,
    seq             bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    proposal_id     uuid        NOT NULL REFERENCES graph.proposals (id) ON DELETE CASCADE,
    partner_name    text        NOT NULL,
    partner_kind    text        NOT NULL,
    partner_country text        NOT NULL,
    amount          bigint,
    currency        text,
    in_kind         text        NOT NULL,
    pledged_at      timestamptz NOT NULL
);

CREATE INDEX proposal_pledges_proposal_idx ON graph.proposal_pledges (proposal_id, seq);

-- Money pledged to each proposal, by currency: never added across currencies.
CREATE TABLE graph.proposal_pledge_totals (
    proposal_id uuid    NOT NULL REFERENCES graph.proposals (id) ON DELETE CASCADE,
    currency    text    NOT NULL,
    amount      bigint  NOT NULL,
    pledges     integer NOT NULL,
    PRIMARY KEY (proposal_id, currency)
);

---- create above / drop below ----

DROP TABLE graph.proposal_pledge_totals;
DROP TABLE graph.proposal_pledges;
DROP TABLE graph.proposal_reviews;
DROP TABLE graph.proposals;
DROP TABLE graph.calls;
