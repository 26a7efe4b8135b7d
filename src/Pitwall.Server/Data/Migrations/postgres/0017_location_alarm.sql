-- Location alarm (REQUIREMENTS D2): up to four circular areas per car, sent to the car as configuration, and the history of
-- the car entering and leaving them (kept 12 months, counted from when the platform stored the event).
CREATE TABLE geofences (
    id               text    PRIMARY KEY,
    vin              text    NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    name             text    NOT NULL,
    latitude         double precision NOT NULL,
    longitude        double precision NOT NULL,
    radius_m         double precision NOT NULL CHECK (radius_m BETWEEN 100 AND 50000),
    notify           text    NOT NULL,  -- enter | exit | both
    active_days      text,              -- mon,…,sun; null = always active
    active_from      text,              -- HH:mm, local time of time_zone
    active_to        text,              -- HH:mm; earlier than active_from = overnight
    time_zone        text,              -- IANA, e.g. Europe/Berlin
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    -- The cloud seq of the configuration frame that first carried this version of the area: confirmed once the car acked it.
    sent_seq         bigint  NOT NULL
);
CREATE INDEX geofences_vin ON geofences (vin, created_at);

CREATE TABLE geofence_events (
    id           text   PRIMARY KEY,
    vin          text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    car_seq      bigint NOT NULL,   -- the car message's seq: one event per message
    geofence_id  text   NOT NULL,   -- the area may be deleted later; the history keeps its name
    name         text   NOT NULL,
    transition   text   NOT NULL,   -- entered | exited
    latitude     double precision NOT NULL,
    longitude    double precision NOT NULL,
    accuracy_m   double precision NOT NULL,
    occurred_at  bigint NOT NULL,   -- the car's time of the crossing
    recorded_at  bigint NOT NULL,   -- when the platform stored it; retention counts from here
    UNIQUE (vin, car_seq)
);
CREATE INDEX geofence_events_vin ON geofence_events (vin, occurred_at);
CREATE INDEX geofence_events_recorded ON geofence_events (recorded_at);
