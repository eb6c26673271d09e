-- Conflicts of interest reviewers declared with a proposal: [{reviewerId, reviewerRole,
-- reason, declaredAt}]. The proposals projection's version 4 rebuilds them.
ALTER TABLE graph.proposals ADD COLUMN conflicts jsonb NOT NULL DEFAULT '[]';

---- create above / drop below ----

ALTER TABLE graph.proposals DROP COLUMN conflicts;
