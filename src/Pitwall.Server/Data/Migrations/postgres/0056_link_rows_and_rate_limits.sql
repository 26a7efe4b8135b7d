-- The car's link state in rows of their own per writer (issue 19), so that no two writers wait for each other's row lock:
-- the cloud frame counter, taken by whichever instance writes a frame for the car (the one an owner's command came in on);
-- the car's acks of cloud frames, applied by the holding instance's ack writer without waiting for a WAL flush; and
-- vehicle_link, the car's seqs and login, written by the holding instance's ingest writer and logins. Before, all three
-- updated vehicle_link, and a command's ack and result (two transactions) queued on the car's row.
CREATE TABLE vehicle_cloud_seq (
    vin            text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    next_cloud_seq bigint NOT NULL  -- last cloud seq handed out
);
INSERT INTO vehicle_cloud_seq (vin, next_cloud_seq) SELECT vin, next_cloud_seq FROM vehicle_link;
ALTER TABLE vehicle_link DROP COLUMN next_cloud_seq;
CREATE TABLE vehicle_cloud_acks (
    vin           text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    car_acked_seq bigint NOT NULL  -- highest cloud seq the car acknowledged
);
INSERT INTO vehicle_cloud_acks (vin, car_acked_seq) SELECT vin, car_acked_seq FROM vehicle_link WHERE car_acked_seq > 0;
ALTER TABLE vehicle_link DROP COLUMN car_acked_seq;

-- Request counters that hold over every instance (pairing starts, data requests): one row per policy and partition (a hash
-- of whose requests count together), the requests taken in the current window and when the window ends.
CREATE TABLE rate_limit_windows (
    policy        text   NOT NULL,
    partition_key text   NOT NULL,
    used          bigint NOT NULL,
    expires_at    bigint NOT NULL,
    PRIMARY KEY (policy, partition_key)
);
