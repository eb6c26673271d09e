-- How many times each consumer changed what it keeps: a projection counts one for every
-- event it applies and every time its position is set (catching up, rebuilding). Its
-- position moves with every event of the log, handled or not; its revision only when
-- its tables may have changed, which is what a server needs to tell whether an answer
-- read from them still holds.
ALTER TABLE eventstore.consumer_offsets ADD COLUMN revision bigint NOT NULL DEFAULT 0;

---- create above / drop below ----

ALTER TABLE eventstore.consumer_offsets DROP COLUMN revision;
