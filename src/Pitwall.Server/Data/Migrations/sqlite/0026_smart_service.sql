-- Smart Service (REQUIREMENTS F1; feature folder Features/SmartService).
-- The car's service logs as received (identification and usage data; faults and conditions have tables of their own).
CREATE TABLE service_logs (
    id          text   PRIMARY KEY,
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    seq         bigint NOT NULL,  -- the car's seq: a resend is stored once
    cause       text   NOT NULL,  -- periodic, threshold, fault, on_request
    recorded_at bigint NOT NULL,
    received_at bigint NOT NULL,
    odometer_m  real,
    content     text   NOT NULL,  -- JSON: control units (part numbers, software), usage data, crossed thresholds
    UNIQUE (vin, seq)
);
CREATE INDEX service_logs_by_car ON service_logs (vin, recorded_at);
CREATE INDEX service_logs_by_age ON service_logs (received_at);

-- The condition of each component over time and distance: what the prediction fits its trend to.
CREATE TABLE service_conditions (
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    component   text   NOT NULL,  -- ComponentCatalog key
    recorded_at bigint NOT NULL,
    odometer_m  real   NOT NULL,
    value       real   NOT NULL,
    PRIMARY KEY (vin, component, recorded_at)
);
CREATE INDEX service_conditions_by_age ON service_conditions (recorded_at);

-- The fault memory as the car last reported it; a fault the car no longer lists is kept as cleared.
CREATE TABLE service_faults (
    vin          text    NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    code         text    NOT NULL,
    status       text    NOT NULL,  -- pending, confirmed, permanent, cleared
    control_unit text    NOT NULL,
    first_seen   bigint  NOT NULL,
    last_seen    bigint  NOT NULL,
    occurrences  integer NOT NULL,
    warning_lamp integer NOT NULL,
    freeze_frame text    NOT NULL,  -- JSON [{name, value, unit}]
    cleared_at   bigint,
    notified     integer NOT NULL DEFAULT 0,
    updated_at   bigint  NOT NULL,
    PRIMARY KEY (vin, code)
);
CREATE INDEX service_faults_by_age ON service_faults (last_seen);

-- The health per component the prediction job computed (overwritten); what the API, the portal and the car show.
CREATE TABLE service_health (
    vin            text    NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    component      text    NOT NULL,
    state          text    NOT NULL,  -- ok, due_soon, due_now, fault
    value          real    NOT NULL,
    recorded_at    bigint  NOT NULL,
    odometer_m     real    NOT NULL,
    due_at         bigint,            -- predicted date of the next maintenance
    due_odometer_m real,              -- predicted odometer reading of it
    confidence     real,              -- 0..1
    points         integer NOT NULL,  -- the data points the prediction was fitted to
    basis          text    NOT NULL,  -- trend, interval, trend_and_interval, condition
    computed_at    bigint  NOT NULL,
    notified_state text    NOT NULL DEFAULT 'ok',
    PRIMARY KEY (vin, component)
);

-- Cars with logs the prediction job has not looked at yet.
CREATE TABLE service_pending (
    vin   text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    since bigint NOT NULL
);

-- Product observation (legitimate interest): the technical content of every log, kept per market 10 or 30 years from
-- creation. vin is null once the car left its owner (unpairing, account erasure) or the platform: de-identified.
CREATE TABLE product_observation (
    id           text    PRIMARY KEY,
    vin          text    REFERENCES vehicles (vin) ON DELETE SET NULL,
    model        text,              -- filled when the VIN goes, so the rows stay useful
    model_year   integer,
    market       text    NOT NULL,  -- ISO 3166-1 alpha-2: decides the retention
    recorded_day bigint  NOT NULL,  -- the day of the log (UTC midnight), not its exact time
    created_at   bigint  NOT NULL,
    delete_after bigint  NOT NULL,  -- created_at + the market's retention
    content      text    NOT NULL   -- JSON: components, fault codes and statuses, usage, control units
);
CREATE INDEX product_observation_by_car ON product_observation (vin);
CREATE INDEX product_observation_by_expiry ON product_observation (delete_after);
