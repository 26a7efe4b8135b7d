-- Trip Control (REQUIREMENTS C3): the car's latest trip statistics, one row per car and term, overwritten by the next
-- ones (no trip history). short = the drive that ended at the last engine stop; long = everything since the last reset.
CREATE TABLE vehicle_trips (
    vin                    text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    term                   text   NOT NULL CHECK (term IN ('short', 'long')),
    started_at             bigint NOT NULL,  -- the drive's start; for the long term, the last reset
    duration_s             bigint NOT NULL,
    distance_m             real   NOT NULL,
    average_speed_mps      real   NOT NULL,
    fuel_l_per_100km       real,    -- null for a car without fuel, or before any distance
    electric_kwh_per_100km real,    -- null for a car without a traction battery, or before any distance
    recorded_at            bigint NOT NULL,  -- when the car computed the figures: an older message never overwrites a newer one
    updated_at             bigint NOT NULL,
    PRIMARY KEY (vin, term)
);
