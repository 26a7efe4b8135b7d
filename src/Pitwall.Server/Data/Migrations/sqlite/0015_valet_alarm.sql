-- Valet alarm (REQUIREMENTS D3): each activation with its limits and the car's parking position, and what the car reported.
CREATE TABLE valet_sessions (
    id               text   PRIMARY KEY,  -- the valet id the car's events carry
    vin              text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    requested_by     text   NOT NULL,     -- account id
    max_speed_mps    real NOT NULL,
    radius_m         real NOT NULL,
    requested_at     bigint NOT NULL,
    config_seq       bigint NOT NULL,     -- the configuration frame with the latest limits (applied once the car acks it)
    started_at       bigint,              -- the car stored its parking position
    parked_latitude  real,
    parked_longitude real,
    end_requested_at bigint,
    ended_at         bigint
);
CREATE UNIQUE INDEX valet_sessions_one_open ON valet_sessions (vin) WHERE end_requested_at IS NULL;
CREATE INDEX valet_sessions_age ON valet_sessions (requested_at);

CREATE TABLE valet_events (
    id          text   PRIMARY KEY,
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    valet_id    text   NOT NULL,
    kind        text   NOT NULL,  -- started | speed_exceeded | radius_exceeded | ended
    occurred_at bigint NOT NULL,
    latitude    real,
    longitude   real,
    accuracy_m  real,
    speed_mps   real,
    received_at bigint NOT NULL
);
CREATE INDEX valet_events_history ON valet_events (vin, occurred_at);
CREATE INDEX valet_events_age ON valet_events (received_at);
