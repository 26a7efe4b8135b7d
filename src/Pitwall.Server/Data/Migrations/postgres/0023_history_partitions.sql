-- The append-only history tables with a timed retention become range-partitioned by UTC day on their age column, like
-- access_log (0019): the retention job drops a day once all of it has expired and deletes the expired rows of the day in
-- between, instead of deleting a year of rows one by one (Data/DayPartitions.cs, Features/Privacy/RetentionSweeper.cs).
--
-- Each table is rebuilt: the old one is renamed, a partitioned one with the same columns and a default partition is
-- created, the rows are copied, the old one is dropped, and the indexes are created again. Existing rows land in the
-- default partition; the retention job moves them into day partitions a few days per run (oldest first), each day in
-- its own short transaction — making hundreds of partitions here, in the one migration transaction, could exhaust the
-- lock table on a database with a year of history.
--
-- A primary key of a partitioned table must contain the partition key, so the ids become (id, <age column>). Those ids
-- are generated (a random GUID, an identity), never looked up alone and not referenced by other tables, so the key
-- keeps its meaning. Not converted: geofence_events, whose UNIQUE (vin, car_seq) is what stores a car's resent
-- message once (ON CONFLICT) and cannot contain recorded_at (a resend is recorded at another time); and the timed
-- tables whose rows change later or are referenced (vehicle_commands, notifications, contracts, valet_sessions, …)
-- or that stay small (usage_statistics, retention_runs). See docs/operator-guide.md, "Partitioned history tables".

-- Car logins and logouts (vehicle_logins, 12 months).
ALTER TABLE vehicle_logins RENAME TO vehicle_logins_unpartitioned;
DROP INDEX vehicle_logins_vin, vehicle_logins_occurred;
CREATE TABLE vehicle_logins (
    occurred_at bigint NOT NULL,
    vin         text   NOT NULL,
    event       text   NOT NULL  -- login | logout
) PARTITION BY RANGE (occurred_at);
CREATE TABLE vehicle_logins_default PARTITION OF vehicle_logins DEFAULT;
INSERT INTO vehicle_logins (occurred_at, vin, event) SELECT occurred_at, vin, event FROM vehicle_logins_unpartitioned;
DROP TABLE vehicle_logins_unpartitioned;
CREATE INDEX vehicle_logins_vin ON vehicle_logins (vin, occurred_at);
CREATE INDEX vehicle_logins_occurred ON vehicle_logins (occurred_at);

-- Sign-in and sign-out log (security_log, 12 months). The identity goes on with the next free number.
ALTER TABLE security_log RENAME TO security_log_unpartitioned;
ALTER TABLE security_log_unpartitioned DROP CONSTRAINT security_log_pkey;
ALTER TABLE security_log_unpartitioned ALTER COLUMN id DROP IDENTITY;
DROP INDEX security_log_occurred, security_log_account;
CREATE TABLE security_log (
    id          bigint  GENERATED ALWAYS AS IDENTITY,
    occurred_at bigint  NOT NULL,
    event       text    NOT NULL,
    account_id  text,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE security_log_default PARTITION OF security_log DEFAULT;
INSERT INTO security_log (id, occurred_at, event, account_id) OVERRIDING SYSTEM VALUE
    SELECT id, occurred_at, event, account_id FROM security_log_unpartitioned;
SELECT setval(pg_get_serial_sequence('security_log', 'id'), COALESCE((SELECT max(id) FROM security_log), 0) + 1, false);
DROP TABLE security_log_unpartitioned;
CREATE INDEX security_log_occurred ON security_log (occurred_at);
CREATE INDEX security_log_account ON security_log (account_id);

-- Anti-theft alarms (vehicle_alarms, 12 months from received_at).
ALTER TABLE vehicle_alarms RENAME TO vehicle_alarms_unpartitioned;
ALTER TABLE vehicle_alarms_unpartitioned DROP CONSTRAINT vehicle_alarms_pkey, DROP CONSTRAINT vehicle_alarms_vin_fkey;
DROP INDEX vehicle_alarms_history, vehicle_alarms_age;
CREATE TABLE vehicle_alarms (
    id          text   NOT NULL,
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    reason      text   NOT NULL,  -- door | hood | trunk | interior_motion | tilt_tow | glass | power_cut | ignition | unknown
    occurred_at bigint NOT NULL,
    latitude    double precision,
    longitude   double precision,
    accuracy_m  double precision,
    received_at bigint NOT NULL,
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE vehicle_alarms_default PARTITION OF vehicle_alarms DEFAULT;
INSERT INTO vehicle_alarms (id, vin, reason, occurred_at, latitude, longitude, accuracy_m, received_at)
    SELECT id, vin, reason, occurred_at, latitude, longitude, accuracy_m, received_at FROM vehicle_alarms_unpartitioned;
DROP TABLE vehicle_alarms_unpartitioned;
CREATE INDEX vehicle_alarms_history ON vehicle_alarms (vin, occurred_at);
CREATE INDEX vehicle_alarms_age ON vehicle_alarms (received_at);

-- Valet alarm events (valet_events, 12 months from received_at); valet_sessions are updated later and stay as they are.
ALTER TABLE valet_events RENAME TO valet_events_unpartitioned;
ALTER TABLE valet_events_unpartitioned DROP CONSTRAINT valet_events_pkey, DROP CONSTRAINT valet_events_vin_fkey;
DROP INDEX valet_events_history, valet_events_age;
CREATE TABLE valet_events (
    id          text   NOT NULL,
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    valet_id    text   NOT NULL,
    kind        text   NOT NULL,  -- started | speed_exceeded | radius_exceeded | ended
    occurred_at bigint NOT NULL,
    latitude    double precision,
    longitude   double precision,
    accuracy_m  double precision,
    speed_mps   double precision,
    received_at bigint NOT NULL,
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE valet_events_default PARTITION OF valet_events DEFAULT;
INSERT INTO valet_events (id, vin, valet_id, kind, occurred_at, latitude, longitude, accuracy_m, speed_mps, received_at)
    SELECT id, vin, valet_id, kind, occurred_at, latitude, longitude, accuracy_m, speed_mps, received_at FROM valet_events_unpartitioned;
DROP TABLE valet_events_unpartitioned;
CREATE INDEX valet_events_history ON valet_events (vin, occurred_at);
CREATE INDEX valet_events_age ON valet_events (received_at);
