-- Car Security (REQUIREMENTS E1–E5, B4): theft cases of the security operation centre (SOC) with every tracking message in
-- order, the contact log and the audit log of every SOC action; the owner's trigger-reason switches and the SOC's tracking
-- interval per car; the monthly health check. Cases and what hangs on them are kept 10 years after the case closed (legal
-- obligation: evidence for the police and insurers); they survive the car's deregistration, so there is no key to vehicles.
CREATE TABLE theft_cases (
    id                    text    PRIMARY KEY,
    vin                   text    NOT NULL,
    incident_id           text    NOT NULL,  -- the car's name of one theft-mode period, or the cloud's for a requested tracking
    source                text    NOT NULL,  -- car | owner | authority
    reason                text    NOT NULL,  -- unauthorised_movement | tampering | alarm | remote_request
    state                 text    NOT NULL,  -- open | handed_over | closed
    outcome               text,              -- false_alarm | recovered
    urgency               bigint  NOT NULL,  -- 0..100, the queue's order
    owner_account_id      text    REFERENCES accounts (id) ON DELETE SET NULL,  -- the primary user when the case opened
    assigned_to           text    REFERENCES accounts (id) ON DELETE SET NULL,  -- the operator who claimed it
    authority_account_id  text    REFERENCES accounts (id) ON DELETE SET NULL,  -- the authority it was handed to
    authority_reference   text,              -- the authority's file number
    circumstances         text,              -- what the owner and the SOC found out, for the authority
    identity_attempts     bigint  NOT NULL,
    identity_verified_at  bigint,
    opened_at             bigint  NOT NULL,
    theft_mode_started_at bigint,
    theft_mode_ended_at   bigint,
    last_tracked_at       bigint,
    last_latitude         double precision,
    last_longitude        double precision,
    last_speed_mps        double precision,
    confirmed_at          bigint,
    closed_at             bigint,            -- what retention counts from
    UNIQUE (vin, incident_id)
);
CREATE INDEX theft_cases_queue ON theft_cases (state, urgency);
CREATE INDEX theft_cases_vin ON theft_cases (vin, opened_at);
CREATE INDEX theft_cases_authority ON theft_cases (authority_account_id);
CREATE INDEX theft_cases_age ON theft_cases (closed_at);

-- Every tracking message of a case, in the car's order (E2).
CREATE TABLE theft_tracking (
    case_id            text    NOT NULL REFERENCES theft_cases (id) ON DELETE CASCADE,
    seq                bigint  NOT NULL,  -- the car's seq: the order the car sent them in
    phase              text    NOT NULL,  -- started | tracking | ended
    recorded_at        bigint  NOT NULL,
    received_at        bigint  NOT NULL,
    latitude           double precision,
    longitude          double precision,
    accuracy_m         double precision,
    gsm_mcc            bigint ,
    gsm_mnc            bigint ,
    gsm_lac            bigint ,
    gsm_cell_id        bigint,
    gsm_signal_dbm     bigint ,
    speed_mps          double precision    NOT NULL,
    ignition_on        bigint  NOT NULL,
    engine_running     bigint  NOT NULL,
    remaining_range_m  double precision    NOT NULL,
    odometer_m         double precision    NOT NULL,
    battery_voltage_v  double precision,
    fuel_level_percent double precision,
    gsm_antenna        text    NOT NULL,  -- ok | no_signal | disconnected | short_circuit | unknown
    gps_antenna        text    NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Who did what to a case, when (every SOC and authority action; the answer of an identity check is never written).
CREATE TABLE theft_case_audit (
    id               text    PRIMARY KEY,
    case_id          text    NOT NULL REFERENCES theft_cases (id) ON DELETE CASCADE,
    ordinal          bigint  NOT NULL,  -- 1, 2, … within the case: the order things happened in
    at               bigint  NOT NULL,
    actor_account_id text    REFERENCES accounts (id) ON DELETE SET NULL,  -- null: the car or the platform
    actor_role       text    NOT NULL,  -- soc_operator | authority | owner | car | system
    action           text    NOT NULL,
    detail           text    NOT NULL
);
CREATE INDEX theft_case_audit_case ON theft_case_audit (case_id, ordinal);

-- Calls to the owner over the stored phone numbers, in order (E3).
CREATE TABLE theft_contact_attempts (
    id           text    PRIMARY KEY,
    case_id      text    NOT NULL REFERENCES theft_cases (id) ON DELETE CASCADE,
    ordinal      bigint  NOT NULL,  -- 1, 2, … within the case
    at           bigint  NOT NULL,
    operator_id  text    REFERENCES accounts (id) ON DELETE SET NULL,
    phone_index  bigint  NOT NULL,  -- 1 = the first stored number
    outcome      text    NOT NULL,  -- reached | no_answer | busy | voicemail | wrong_number
    note         text
);
CREATE INDEX theft_contact_attempts_case ON theft_contact_attempts (case_id, ordinal);

-- Per car: the trigger reasons the owner switched off until a time (E1) and the SOC's tracking interval.
CREATE TABLE theft_settings (
    vin                       text    PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    suspended                 text    NOT NULL,  -- JSON: {"alarm": <until, epoch ms>, …}
    tracking_interval_seconds bigint  NOT NULL,  -- 0 = the car's default
    updated_at                bigint  NOT NULL
);

-- The monthly health check (E4): when each car last proved its tracking unit works, and when a miss was flagged.
CREATE TABLE theft_health_checks (
    vin           text    PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    last_check_at bigint,
    flagged_at    bigint
);
