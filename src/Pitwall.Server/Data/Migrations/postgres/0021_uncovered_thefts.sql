-- Thefts of cars without Car Security (REQUIREMENTS B4): nobody tracks such a car, but the platform notes the incident so
-- that Car Security cannot be bought for it. Only when it started and ended and who noticed it: no position, no tracking.
CREATE TABLE uncovered_thefts (
    id          text    PRIMARY KEY,
    vin         text    NOT NULL,
    incident_id text    NOT NULL,  -- the car's name of its theft-mode period, or the cloud's for an owner's report
    source      text    NOT NULL,  -- car | owner
    reason      text    NOT NULL,  -- unauthorised_movement | tampering | alarm | owner_report
    started_at  bigint  NOT NULL,
    ended_at    bigint,            -- null while it lasts; retention counts from here
    UNIQUE (vin, incident_id)
);
CREATE INDEX uncovered_thefts_vin ON uncovered_thefts (vin, started_at);
CREATE INDEX uncovered_thefts_age ON uncovered_thefts (ended_at);
