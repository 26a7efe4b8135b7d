-- Dealers and service appointments (REQUIREMENTS F1): the dealer directory, the dealers' staff accounts, each car's
-- preferred dealer, the appointments, and the log of every dealer read of a car's data (which the car's owner sees).
CREATE TABLE dealers (
    id            text   PRIMARY KEY,  -- a short slug, e.g. stuttgart-feuerbach
    name          text   NOT NULL,
    street        text   NOT NULL,
    postal_code   text   NOT NULL,
    city          text   NOT NULL,
    country       text   NOT NULL,     -- ISO 3166-1 alpha-2
    latitude      real   NOT NULL,
    longitude     real   NOT NULL,
    phone         text,
    email         text,
    time_zone     text   NOT NULL,     -- IANA, for the opening hours and the calendar
    opening_hours text   NOT NULL,     -- JSON: [{"days":[1,2,3,4,5],"opens":"07:30","closes":"18:00"}], ISO weekdays
    services      text   NOT NULL,     -- comma-separated: maintenance,repair,tyres,bodywork,high_voltage,software_update
    created_at    bigint NOT NULL
);
CREATE INDEX dealers_position ON dealers (latitude, longitude);

-- An account with the role dealer works for one dealer.
CREATE TABLE dealer_staff (
    account_id text   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    dealer_id  text   NOT NULL REFERENCES dealers (id) ON DELETE CASCADE,
    linked_at  bigint NOT NULL
);
CREATE INDEX dealer_staff_dealer ON dealer_staff (dealer_id);

-- The dealer of choice of a car's primary user; it lets that dealer read the car's data (revocable).
CREATE TABLE preferred_dealers (
    vin        text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    dealer_id  text   NOT NULL REFERENCES dealers (id) ON DELETE CASCADE,
    chosen_by  text   NOT NULL,  -- account id
    chosen_at  bigint NOT NULL
);
CREATE INDEX preferred_dealers_dealer ON preferred_dealers (dealer_id);

CREATE TABLE service_appointments (
    id              text   PRIMARY KEY,
    vin             text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    dealer_id       text   NOT NULL REFERENCES dealers (id) ON DELETE CASCADE,
    requested_by    text,             -- account id; null when the driver asked in the car
    channel         text   NOT NULL,  -- app | portal | car
    car_request_id  text,             -- the car's id of its request (a resend files nothing twice)
    state           text   NOT NULL,  -- requested | proposed | confirmed | declined | cancelled | completed
    reason          text   NOT NULL,
    requested_slots text   NOT NULL,  -- JSON array of epoch milliseconds
    starts_at       bigint,           -- the proposed or confirmed start
    duration_min    integer NOT NULL,
    dealer_note     text,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL
);
CREATE UNIQUE INDEX service_appointments_car_request ON service_appointments (vin, car_request_id) WHERE car_request_id IS NOT NULL;
CREATE INDEX service_appointments_dealer ON service_appointments (dealer_id, state);
CREATE INDEX service_appointments_vin ON service_appointments (vin, created_at);

-- Every read of a car's data by a dealer (who, which dealer, what, when); the car's owner sees it.
CREATE TABLE dealer_access_log (
    id         text   PRIMARY KEY,
    vin        text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    dealer_id  text   NOT NULL,
    account_id text,             -- the dealer's staff account; null once that account is deleted
    what       text   NOT NULL,  -- health | faults | logs
    read_at    bigint NOT NULL
);
CREATE INDEX dealer_access_log_vin ON dealer_access_log (vin, read_at);
CREATE INDEX dealer_access_log_age ON dealer_access_log (read_at);
