-- A call's envelope, one amount per currency ([{amount, currency}] in minor units), and
-- what approvals committed of it ({currency: amount}). The calls projection's version 4
-- rebuilds them from the events.
ALTER TABLE graph.calls ADD COLUMN envelope jsonb NOT NULL DEFAULT '[]';
ALTER TABLE graph.calls ADD COLUMN committed jsonb NOT NULL DEFAULT '{}';

---- create above / drop below ----

ALTER TABLE graph.calls DROP COLUMN committed;
ALTER TABLE graph.calls DROP COLUMN envelope;
