-- The whole association profile, for finding associations: filters, accent-insensitive
-- full-text search (english, french and plain word vectors over folded text),
-- similar-name detection (trigrams) and ordering by name.
--
-- The table is emptied: the projection is now graph.associations.v2, a new consumer
-- group, which replays the event log from the start into it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

TRUNCATE graph.associations RESTART IDENTITY;

ALTER TABLE graph.associations
    ADD COLUMN name_folded          text        COLLATE "C" NOT NULL,
    ADD COLUMN acronym              text        NOT NULL,
    ADD COLUMN kind                 text        NOT NULL,
    ADD COLUMN country_of_residence text        NOT NULL,
    ADD COLUMN sectors              text[]      NOT NULL,
    ADD COLUMN languages            text[]      NOT NULL,
    ADD COLUMN description_en       text        NOT NULL,
    ADD COLUMN description_fr       text        NOT NULL,
    ADD COLUMN description_es       text        NOT NULL,
    ADD COLUMN website              text        NOT NULL,
    ADD COLUMN website_key          text        NOT NULL,
    ADD COLUMN member_count         integer,
    ADD COLUMN year_founded         integer,
    -- The contact person, sealed: only the directory can open it, for those who may
    -- read it. NULL when there is none or it was forgotten.
    ADD COLUMN contact_ciphertext   bytea,
    ADD COLUMN contact_erased       boolean     NOT NULL,
    ADD COLUMN status_reason        text        NOT NULL,
    ADD COLUMN status_changed_at    timestamptz NOT NULL,
    ADD COLUMN search_doc           tsvector    NOT NULL;

CREATE INDEX associations_name_seq_idx ON graph.associations (name_folded, seq);
CREATE INDEX associations_registered_seq_idx ON graph.associations (registered_at, seq);
CREATE INDEX associations_residence_idx ON graph.associations (country_of_residence);
CREATE INDEX associations_kind_idx ON graph.associations (kind);
CREATE INDEX associations_sectors_idx ON graph.associations USING gin (sectors);
CREATE INDEX associations_languages_idx ON graph.associations USING gin (languages);
CREATE INDEX associations_search_idx ON graph.associations USING gin (search_doc);
CREATE INDEX associations_name_trgm_idx ON graph.associations USING gin (name_folded gin_trgm_ops);
CREATE INDEX associations_website_key_idx ON graph.associations (website_key) WHERE website_key <> '';

---- create above / drop below ----

DROP INDEX graph.associations_website_key_idx;
DROP INDEX graph.associations_name_trgm_idx;
DROP INDEX graph.associations_search_idx;
DROP INDEX graph.associations_languages_idx;
DROP INDEX graph.associations_sectors_idx;
DROP INDEX graph.associations_kind_idx;
DROP INDEX graph.associations_residence_idx;
DROP INDEX graph.associations_registered_seq_idx;
DROP INDEX graph.associations_name_seq_idx;
ALTER TABLE graph.associations
    DROP COLUMN search_doc, DROP COLUMN status_changed_at, DROP COLUMN status_reason,
    DROP COLUMN contact_erased, DROP COLUMN contact_ciphertext, DROP COLUMN year_founded,
    DROP COLUMN member_count, DROP COLUMN website_key, DROP COLUMN website,
    DROP COLUMN description_es, DROP COLUMN description_fr, DROP COLUMN description_en,
    DROP COLUMN languages, DROP COLUMN sectors, DROP COLUMN country_of_residence,
    DROP COLUMN kind, DROP COLUMN acronym, DROP COLUMN name_folded;
