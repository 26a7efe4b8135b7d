-- Charging Service (G1–G3): Pitwall as an OCPI 2.2.1 eMSP towards charge point operators (CPOs).

-- The CPOs an administrator set up: the registration token A we issued (hash), after the credentials handshake the token C we
-- issued (hash) and the token B the CPO issued us (to call its endpoints), its party and its 2.2.1 endpoints (JSON).
CREATE TABLE charging_partners (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    state        text NOT NULL,
    token_a_hash text UNIQUE,
    token_c_hash text UNIQUE,
    token_b      text,
    country_code text,
    party_id     text,
    versions_url text,
    endpoints    text,
    created_at   bigint NOT NULL,
    updated_at   bigint NOT NULL
);

-- An account's charging contract: the contract id (eMA-ID) Pitwall generated, never the account id, and the car whose package
-- grants the Charging Service.
CREATE TABLE charging_contracts (
    account_id  text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    vin         text NOT NULL,
    contract_id text NOT NULL UNIQUE,
    created_at  bigint NOT NULL
);

-- The tokens CPOs authorise: RFID charging cards and the app's APP_USER token, each tied to the account's contract id.
CREATE TABLE charging_tokens (
    uid           text PRIMARY KEY,
    type          text NOT NULL,
    account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contract_id   text NOT NULL,
    visual_number text,
    valid         integer NOT NULL,
    created_at    bigint NOT NULL,
    last_updated  bigint NOT NULL
);
CREATE INDEX charging_tokens_updated ON charging_tokens (last_updated, uid);
CREATE INDEX charging_tokens_account ON charging_tokens (account_id);

-- What each CPO pushed (OCPI objects as JSON, keyed per partner so that partners never see each other's data).
CREATE TABLE charging_locations (
    partner_id   text NOT NULL REFERENCES charging_partners (id) ON DELETE CASCADE,
    country_code text NOT NULL,
    party_id     text NOT NULL,
    id           text NOT NULL,
    body         text NOT NULL,
    last_updated bigint NOT NULL,
    PRIMARY KEY (partner_id, country_code, party_id, id)
);

CREATE TABLE charging_tariffs (
    partner_id   text NOT NULL REFERENCES charging_partners (id) ON DELETE CASCADE,
    country_code text NOT NULL,
    party_id     text NOT NULL,
    id           text NOT NULL,
    body         text NOT NULL,
    last_updated bigint NOT NULL,
    PRIMARY KEY (partner_id, country_code, party_id, id)
);

-- Charging sessions and charge detail records (CDRs) of the accounts' tokens: kept 90 days from receipt (P3).
CREATE TABLE charging_sessions (
    partner_id   text NOT NULL REFERENCES charging_partners (id) ON DELETE CASCADE,
    country_code text NOT NULL,
    party_id     text NOT NULL,
    id           text NOT NULL,
    account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_uid    text NOT NULL,
    status       text NOT NULL,
    body         text NOT NULL,
    last_updated bigint NOT NULL,
    received_at  bigint NOT NULL,
    PRIMARY KEY (partner_id, country_code, party_id, id)
);
CREATE INDEX charging_sessions_age ON charging_sessions (received_at);
CREATE INDEX charging_sessions_account ON charging_sessions (account_id);

CREATE TABLE charging_cdrs (
    partner_id   text NOT NULL REFERENCES charging_partners (id) ON DELETE CASCADE,
    country_code text NOT NULL,
    party_id     text NOT NULL,
    id           text NOT NULL,
    account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_uid    text NOT NULL,
    contract_id  text NOT NULL,
    session_id   text,
    start_at     bigint NOT NULL,
    end_at       bigint NOT NULL,
    total_energy double precision NOT NULL,
    total_cost   double precision NOT NULL,
    currency     text NOT NULL,
    body         text NOT NULL,
    received_at  bigint NOT NULL,
    PRIMARY KEY (partner_id, country_code, party_id, id)
);
CREATE INDEX charging_cdrs_age ON charging_cdrs (received_at);
CREATE INDEX charging_cdrs_account ON charging_cdrs (account_id, start_at);
