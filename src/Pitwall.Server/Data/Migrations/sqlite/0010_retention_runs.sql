-- What each retention run removed (REQUIREMENTS P3): counts per data category, never content.
CREATE TABLE retention_runs (
    id          text   PRIMARY KEY,
    started_at  bigint NOT NULL,
    finished_at bigint NOT NULL,
    removed     text   NOT NULL  -- JSON object: category id -> rows removed
);
CREATE INDEX retention_runs_finished ON retention_runs (finished_at);
