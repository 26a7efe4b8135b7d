-- The owner's manual (F4). Its content ships with the binary; stored here is only what readers do with it.
-- A reader's usage profile (name + account), deleted after a year without use.
CREATE TABLE manual_profiles (
    account_id   text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    name         text NOT NULL,
    created_at   bigint NOT NULL,
    last_used_at bigint NOT NULL
);
CREATE INDEX manual_profiles_unused ON manual_profiles (last_used_at);

-- Sections a reader marked for a car, and the sections a reader (app, portal) or the car's own display visited last:
-- kept 12 months.
CREATE TABLE manual_favourites (
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    vin        text NOT NULL,
    section_id text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (account_id, vin, section_id)
);
CREATE INDEX manual_favourites_age ON manual_favourites (created_at);

CREATE TABLE manual_visits (
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    vin        text NOT NULL,
    section_id text NOT NULL,
    visited_at bigint NOT NULL,
    PRIMARY KEY (account_id, vin, section_id)
);
CREATE INDEX manual_visits_age ON manual_visits (visited_at);

CREATE TABLE manual_car_visits (
    vin        text NOT NULL,
    section_id text NOT NULL,
    visited_at bigint NOT NULL,
    PRIMARY KEY (vin, section_id)
);
CREATE INDEX manual_car_visits_age ON manual_car_visits (visited_at);

-- The manual comes with Connect Care (the seed: an account and the Connect Care package).
UPDATE packages SET services = services || ',owners_manual'
WHERE id = 'connect_care' AND (',' || services || ',') NOT LIKE '%,owners_manual,%';
