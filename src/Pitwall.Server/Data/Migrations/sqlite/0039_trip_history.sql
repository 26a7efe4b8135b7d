-- Trip history (REQUIREMENTS C3, P5): only with the owner's consent for the car (purpose trip_history), each drive's figures
-- as the car computed them at its engine stop, and the traction battery's state of charge at most every 10 minutes, for
-- the chart of charge and consumption over time. Kept 90 days from recording; deleted when the consent is withdrawn.
CREATE TABLE vehicle_trip_history (
    vin                    text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    ended_at               bigint NOT NULL,  -- when the car computed the figures (the engine stop)
    started_at             bigint NOT NULL,
    duration_s             bigint NOT NULL,
    distance_m             real   NOT NULL,
    average_speed_mps      real   NOT NULL,
    fuel_l_per_100km       real  ,
    electric_kwh_per_100km real  ,
    PRIMARY KEY (vin, ended_at)
);

CREATE TABLE vehicle_charge_history (
    vin             text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    recorded_at     bigint NOT NULL,  -- when the car measured it
    state_of_charge real   NOT NULL,  -- %
    PRIMARY KEY (vin, recorded_at)
);
