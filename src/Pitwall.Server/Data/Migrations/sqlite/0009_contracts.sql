-- Service packages (REQUIREMENTS B1, A5): what each grants, for how long, at what price, and which vehicles it fits.
CREATE TABLE packages (
    id           text    PRIMARY KEY,
    name         text    NOT NULL,
    services     text    NOT NULL,  -- comma-separated service ids
    term_months  integer NOT NULL,
    price_minor  bigint  NOT NULL,  -- in the currency's minor unit (cents)
    currency     text    NOT NULL,
    fits         text    NOT NULL,  -- JSON: [{"model": "911", "fromYear": 2011, "toYear": 2019}, …]; toYear null = up to today
    needs_car_security_details integer NOT NULL,  -- 1: buying asks for the B2 data
    active       integer NOT NULL,  -- 0: no longer sold; running contracts go on
    updated_at   bigint  NOT NULL
);

-- A package bought (or included) for one vehicle (REQUIREMENTS B1–B4).
CREATE TABLE contracts (
    id                text    PRIMARY KEY,
    vin               text    NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    account_id        text    REFERENCES accounts (id) ON DELETE SET NULL,  -- the buyer; null when included with the car
    package_id        text    NOT NULL REFERENCES packages (id),
    state             text    NOT NULL,  -- active | withdrawn | expired
    auto_renew        integer NOT NULL,
    purchased_at      bigint  NOT NULL,
    starts_at         bigint  NOT NULL,
    ends_at           bigint  NOT NULL,
    terms             integer NOT NULL,  -- how many terms it has run (1 + renewals)
    price_minor       bigint  NOT NULL,
    currency          text    NOT NULL,
    cancelled_at      bigint,            -- auto-renewal switched off
    cancel_channel    text,              -- app | customer_service
    cancel_reference  text,              -- customer service's reference for a written cancellation
    withdrawn_at      bigint,
    refund_minor      bigint,
    expiry_notice_at  bigint,            -- when the users were told the term ends
    closed_at         bigint             -- withdrawn or expired; what retention counts from
);
CREATE INDEX contracts_vin ON contracts (vin, state);
CREATE INDEX contracts_due ON contracts (state, ends_at);

-- What buying Car Security asks for (REQUIREMENTS B2); the security answer only as a salted hash.
CREATE TABLE car_security_details (
    contract_id          text PRIMARY KEY REFERENCES contracts (id) ON DELETE CASCADE,
    phone_numbers        text NOT NULL,  -- JSON array, E.164, in the order to call
    security_question    text NOT NULL,
    security_answer_hash text NOT NULL,
    colour               text NOT NULL,
    registration_number  text NOT NULL,
    closed_at            bigint          -- copied from the contract when it ends
);

-- The catalogue as shipped; administrators change it with the admin API or `pitwall admin package-set`. The "Car Connect"
-- packages fit the older generation of cars (A5); "Connect remote" the newer one.
INSERT INTO packages (id, name, services, term_months, price_minor, currency, fits, needs_car_security_details, active, updated_at) VALUES
('connect_care', 'Connect Care', 'software_update,maintenance,breakdown_call', 12, 0, 'EUR', '[{"model":""}]', 0, 1, 0),
('car_connect_remote', 'Car Connect remote services', 'car_control,car_finder,trip_control,remote_lock,remote_horn_lights,climate,e_control', 12, 9900, 'EUR', '[{"model":"718","fromYear":2016},{"model":"911","fromYear":2011,"toYear":2019},{"model":"Panamera","fromYear":2013,"toYear":2022},{"model":"Macan","fromYear":2015,"toYear":2024},{"model":"Cayenne","fromYear":2017,"toYear":2018}]', 0, 1, 0),
('car_connect_safety', 'Car Connect safety services', 'location_alarm,valet_alarm', 12, 4900, 'EUR', '[{"model":"718","fromYear":2016},{"model":"911","fromYear":2011,"toYear":2019},{"model":"Panamera","fromYear":2013,"toYear":2022},{"model":"Macan","fromYear":2015,"toYear":2024},{"model":"Cayenne","fromYear":2017,"toYear":2018}]', 0, 1, 0),
('car_connect_security', 'Car Connect security services', 'vehicle_alarm', 12, 4900, 'EUR', '[{"model":"718","fromYear":2016},{"model":"911","fromYear":2011,"toYear":2019},{"model":"Panamera","fromYear":2013,"toYear":2022},{"model":"Macan","fromYear":2015,"toYear":2024},{"model":"Cayenne","fromYear":2017,"toYear":2018}]', 0, 1, 0),
('connect_remote', 'Connect remote services', 'car_control,car_finder,trip_control,remote_lock,remote_horn_lights,climate,e_control,vehicle_alarm,location_alarm,valet_alarm', 12, 14900, 'EUR', '[{"model":"911","fromYear":2020},{"model":"Taycan","fromYear":2020},{"model":"Macan Electric","fromYear":2024},{"model":"Cayenne","fromYear":2019},{"model":"Panamera","fromYear":2023}]', 0, 1, 0),
('car_security', 'Car Security', 'car_security', 12, 19900, 'EUR', '[{"model":""}]', 1, 1, 0),
('charging_service', 'Charging service', 'charging', 12, 0, 'EUR', '[{"model":"Taycan","fromYear":2020},{"model":"Macan Electric","fromYear":2024},{"model":"Cayenne","fromYear":2019},{"model":"Panamera","fromYear":2017}]', 0, 1, 0),
('navigation_plus', 'Navigation Plus', 'navigation', 12, 7900, 'EUR', '[{"model":""}]', 0, 1, 0);
