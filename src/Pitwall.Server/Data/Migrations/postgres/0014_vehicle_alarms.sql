-- Anti-theft alarms the cars reported (REQUIREMENTS D1): reason, time and, when location services allowed it, position.
CREATE TABLE vehicle_alarms (
    id          text   PRIMARY KEY,
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    reason      text   NOT NULL,  -- door | hood | trunk | interior_motion | tilt_tow | glass | power_cut | ignition | unknown
    occurred_at bigint NOT NULL,
    latitude    double precision,
    longitude   double precision,
    accuracy_m  double precision,
    received_at bigint NOT NULL
);
CREATE INDEX vehicle_alarms_history ON vehicle_alarms (vin, occurred_at);
CREATE INDEX vehicle_alarms_age ON vehicle_alarms (received_at);
