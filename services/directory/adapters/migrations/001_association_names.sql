-- Names taken per city, reserved in the same transaction as the registration's events:
-- the set-wide rule "one association per name and city" cannot be checked by one
-- association's stream alone. name_key ignores case, accents, punctuation and spacing.
CREATE TABLE directory.association_names (
    city           text        NOT NULL,
    name_key       text        NOT NULL CHECK (name_key <> ''),
    association_id uuid        NOT NULL UNIQUE,
    name           text        NOT NULL,
    reserved_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (city, name_key)
);

---- create above / drop below ----

DROP TABLE directory.association_names;
