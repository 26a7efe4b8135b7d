-- Consents (REQUIREMENTS P5): for a purpose whose legal basis is consent, who agreed, to what, when — and the withdrawal.
CREATE TABLE consents (
    id           text   PRIMARY KEY,
    account_id   text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    vin          text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    purpose      text   NOT NULL,  -- e.g. breakdown_data_sharing
    scope        text   NOT NULL,  -- what the consent covers, e.g. one breakdown case
    channel      text   NOT NULL,  -- app | web | car
    granted_at   bigint NOT NULL,
    withdrawn_at bigint
);
CREATE INDEX consents_lookup ON consents (vin, purpose, scope);
CREATE INDEX consents_account ON consents (account_id);
