-- Charge and climate timers (REQUIREMENTS C6, C7) as the car confirmed them: up to five slots of each kind per car.
CREATE TABLE vehicle_timers (
    vin                    text    NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    kind                   text    NOT NULL,  -- charge | climate
    slot                   integer NOT NULL CHECK (slot BETWEEN 1 AND 5),
    time_of_day            text    NOT NULL,  -- HH:mm in the car's time
    date                   text,              -- yyyy-MM-dd for a one-off timer
    days                   text,              -- mon,…,sun for a recurring timer
    target_state_of_charge real,              -- charge timers
    confirmed_at           bigint  NOT NULL,
    PRIMARY KEY (vin, kind, slot)
);
