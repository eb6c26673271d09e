-- Which of an association's keys opened the session: a session opened with a key that
-- has since been renewed ends with it.
ALTER TABLE web.sessions ADD COLUMN key_generation integer NOT NULL DEFAULT 0;

---- create above / drop below ----

ALTER TABLE web.sessions DROP COLUMN key_generation;
