-- Vehicle registry, the accounts that may use each vehicle, pairing and short-lived access keys.
CREATE TABLE vehicles (
    vin                 text   PRIMARY KEY,
    model               text   NOT NULL,
    model_year          bigint NOT NULL,
    colour              text,
    registration_number text,
    secret              text,   -- development-mode link secret (base64); null for certificate-only cars
    created_at          bigint NOT NULL
);

-- 'primary' is the paired owner (one per vehicle); 'driver' a secondary user with fewer rights.
CREATE TABLE vehicle_users (
    vin        text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       text   NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (vin, account_id)
);
CREATE INDEX vehicle_users_account ON vehicle_users (account_id);
CREATE UNIQUE INDEX vehicle_users_one_primary ON vehicle_users (vin) WHERE role = 'primary';

-- A pairing in progress: the code shown in the car, stored hashed.
CREATE TABLE pairing_requests (
    id           text   PRIMARY KEY,
    vin          text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    account_id   text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash    text   NOT NULL,
    attempts     bigint NOT NULL,
    created_at   bigint NOT NULL,
    expires_at   bigint NOT NULL,
    completed_at bigint
);
CREATE INDEX pairing_requests_account ON pairing_requests (account_id);

-- Single-purpose keys (REQUIREMENTS A4), stored hashed.
CREATE TABLE access_keys (
    key_hash   text   PRIMARY KEY,
    vin        text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    text   NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
