-- The car's dedup high-water mark and when it was last seen, in a narrow table of their own (issue 17). The ingest writer
-- updates them for every car in every batch; in vehicle_link (the login's JSON beside them) every update wrote the wide row
-- again.
CREATE TABLE vehicle_car_marks (
    vin          text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    last_car_seq bigint NOT NULL,  -- highest car seq held durably (dedup high-water mark)
    last_seen_at bigint            -- when the car last sent anything (not recorded in private mode)
);
INSERT INTO vehicle_car_marks (vin, last_car_seq, last_seen_at) SELECT vin, last_car_seq, last_seen_at FROM vehicle_link;
ALTER TABLE vehicle_link DROP COLUMN last_car_seq;
ALTER TABLE vehicle_link DROP COLUMN last_seen_at;
