-- Second factors (issue 20): a TOTP secret per account (RFC 6238), required for staff, chosen by owners. The secret is kept
-- encrypted with ASP.NET data protection (its keys are in data_protection_keys); last_step is the last time step a code was
-- accepted for, so a code cannot be used twice. confirmed_at is null while the account is enrolling (the code not yet shown back).
CREATE TABLE account_second_factors (
    account_id       text   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret_protected text   NOT NULL,
    created_at       bigint NOT NULL,
    confirmed_at     bigint,
    last_step        bigint NOT NULL DEFAULT 0
);

-- One-time recovery codes for a lost authenticator: only their SHA-256 is kept; used_at marks one used.
CREATE TABLE account_recovery_codes (
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  text   NOT NULL,
    created_at bigint NOT NULL,
    used_at    bigint,
    PRIMARY KEY (account_id, code_hash)
);
