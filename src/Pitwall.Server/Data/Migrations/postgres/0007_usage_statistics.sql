-- Anonymised usage statistics (REQUIREMENTS C8): counts per day, service and channel. No VIN, no account, ever.
CREATE TABLE usage_statistics (
    day_start bigint NOT NULL,  -- the UTC day, as epoch milliseconds of its midnight
    service   text   NOT NULL,
    channel   text   NOT NULL,  -- car | app | web
    count     bigint NOT NULL,
    PRIMARY KEY (day_start, service, channel)
);
