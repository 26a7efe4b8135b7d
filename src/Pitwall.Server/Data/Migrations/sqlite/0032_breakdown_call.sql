-- Connect Care II (F2, P1, P5): breakdown calls and emergency calls, each with its timeline. The two kinds have the same shape
-- but separate tables, because their data is kept on different legal bases for different periods: a breakdown call 7 days from
-- the call (consent), an emergency call 90 days from the call (legal obligation). Consents live in the consent register.
CREATE TABLE breakdown_cases (
    id              text    PRIMARY KEY,
    vin             text    NOT NULL,
    account_id      text    REFERENCES accounts (id) ON DELETE SET NULL,  -- the driver who called from the app, or the car's primary user
    source          text    NOT NULL,  -- car | app
    call_id         text    NOT NULL,  -- the id the car knows the call by (its own, or the cloud's in the data request)
    state           text    NOT NULL,  -- requested | waiting | claimed | help_sent | tow_ordered | closed
    opened_at       bigint  NOT NULL,  -- what retention counts from
    updated_at      bigint  NOT NULL,
    model           text,              -- the car type, the one detail an agent sees without consent
    callback_number text,
    latitude        real,
    longitude       real,
    accuracy_m      real,
    position_at     bigint,
    snapshot        text,              -- JSON: identification, usage, condition, fault memory, live values, movement
    snapshot_at     bigint,
    diagnosis       text,              -- JSON: the diagnosis of the latest snapshot or live diagnosis
    claimed_by      text    REFERENCES accounts (id) ON DELETE SET NULL,
    claimed_at      bigint,
    action          text,              -- roadside_help | tow | solved_by_phone
    eta_at          bigint,
    tow_dealer_id   text,
    dealer_id       text,              -- the dealer the driver chose to share the snapshot with
    closed_at       bigint,
    UNIQUE (vin, call_id)
);
CREATE INDEX breakdown_cases_queue ON breakdown_cases (state, opened_at);
CREATE INDEX breakdown_cases_vin ON breakdown_cases (vin, opened_at);
CREATE INDEX breakdown_cases_age ON breakdown_cases (opened_at);
CREATE INDEX breakdown_cases_dealer ON breakdown_cases (dealer_id);

-- The timeline of a call: opened, snapshot, claimed, live diagnosis asked and answered, notes, actions, driver told, closed.
CREATE TABLE breakdown_case_events (
    id         text    PRIMARY KEY,
    case_id    text    NOT NULL REFERENCES breakdown_cases (id) ON DELETE CASCADE,
    at         bigint  NOT NULL,
    kind       text    NOT NULL,
    actor      text,               -- an agent's account id, or car | driver | platform
    detail     text,               -- text or JSON
    request_id text                -- a live diagnosis request's id
);
CREATE INDEX breakdown_case_events_case ON breakdown_case_events (case_id, at);
CREATE INDEX breakdown_case_events_request ON breakdown_case_events (request_id);

CREATE TABLE emergency_cases (
    id              text    PRIMARY KEY,
    vin             text    NOT NULL,
    account_id      text    REFERENCES accounts (id) ON DELETE SET NULL,
    source          text    NOT NULL,
    call_id         text    NOT NULL,
    state           text    NOT NULL,
    opened_at       bigint  NOT NULL,
    updated_at      bigint  NOT NULL,
    model           text,
    callback_number text,
    latitude        real,
    longitude       real,
    accuracy_m      real,
    position_at     bigint,
    snapshot        text,              -- JSON: trigger, heading, last positions, passengers, propulsion, car type
    snapshot_at     bigint,
    diagnosis       text,
    claimed_by      text    REFERENCES accounts (id) ON DELETE SET NULL,
    claimed_at      bigint,
    action          text,
    eta_at          bigint,
    tow_dealer_id   text,
    dealer_id       text,
    closed_at       bigint,
    UNIQUE (vin, call_id)
);
CREATE INDEX emergency_cases_queue ON emergency_cases (state, opened_at);
CREATE INDEX emergency_cases_vin ON emergency_cases (vin, opened_at);
CREATE INDEX emergency_cases_age ON emergency_cases (opened_at);

CREATE TABLE emergency_case_events (
    id         text    PRIMARY KEY,
    case_id    text    NOT NULL REFERENCES emergency_cases (id) ON DELETE CASCADE,
    at         bigint  NOT NULL,
    kind       text    NOT NULL,
    actor      text,
    detail     text,
    request_id text
);
CREATE INDEX emergency_case_events_case ON emergency_case_events (case_id, at);
