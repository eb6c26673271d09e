-- Messages to the skills roster's experts and institutions. An outbox message has
-- exactly one recipient: an association, an expert or an institution. An expert's
-- address is never kept here: the sender asks the experts service for it when it sends
-- (none once the expert is erased, and the message is dropped). An institution's desk
-- address is an organisation's, kept with what the notifier knows of it.
ALTER TABLE notifications.outbox ALTER COLUMN association_id DROP NOT NULL;
ALTER TABLE notifications.outbox ADD COLUMN expert_id uuid, ADD COLUMN institution_id uuid;
ALTER TABLE notifications.outbox ADD CONSTRAINT outbox_one_recipient
    CHECK (num_nonnulls(association_id, expert_id, institution_id) = 1);

CREATE TABLE notifications.institutions (
    institution_id uuid PRIMARY KEY,
    name           text NOT NULL,
    language       text NOT NULL,
    email          text NOT NULL
);

-- Requests for expertise, with the language their messages to experts are written in
-- (the first of English, French and Spanish the request asks for, else English: an
-- expert's own languages are sealed), and who was proposed for them.
CREATE TABLE notifications.expertise_requests (
    request_id     uuid PRIMARY KEY,
    institution_id uuid NOT NULL,
    title          text NOT NULL,
    language       text NOT NULL
);

CREATE TABLE notifications.expertise_matches (
    request_id uuid    NOT NULL,
    expert_id  uuid    NOT NULL,
    -- Whether the match still stands (proposed, accepted, confirmed): those are told
    -- of a cancellation.
    live       boolean NOT NULL,
    PRIMARY KEY (request_id, expert_id)
);

---- create above / drop below ----

DROP TABLE notifications.expertise_matches;
DROP TABLE notifications.expertise_requests;
DROP TABLE notifications.institutions;
ALTER TABLE notifications.outbox DROP CONSTRAINT outbox_one_recipient;
DELETE FROM notifications.outbox WHERE association_id IS NULL;
ALTER TABLE notifications.outbox DROP COLUMN expert_id, DROP COLUMN institution_id;
ALTER TABLE notifications.outbox ALTER COLUMN association_id SET NOT NULL;
