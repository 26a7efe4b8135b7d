-- Accounts (REQUIREMENTS A1). Times are Unix epoch milliseconds (UTC) in every table, on both engines.
CREATE TABLE accounts (
    id               text    PRIMARY KEY,
    email            text    NOT NULL,
    email_normalized text    NOT NULL UNIQUE,
    password_hash    text    NOT NULL,
    name             text    NOT NULL,
    phone_numbers    text    NOT NULL,  -- JSON array of E.164 numbers, in the order to call them
    address          text,              -- JSON object, or null
    locale           text    NOT NULL,
    role             text    NOT NULL,
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL
);

-- A sign-in session is one family of rotating refresh tokens; revoking it ends every token of the family.
CREATE TABLE auth_sessions (
    id         text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    scope      text   NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint
);
CREATE INDEX auth_sessions_account ON auth_sessions (account_id);

-- Tokens are stored as SHA-256 hashes only: a copy of the database signs no one in.
CREATE TABLE refresh_tokens (
    token_hash text   PRIMARY KEY,
    session_id text   NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    issued_at  bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at    bigint
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE access_tokens (
    token_hash text   PRIMARY KEY,
    session_id text   NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    scope      text   NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX access_tokens_session ON access_tokens (session_id);

-- Failed sign-ins per e-mail address (keyed by a hash, so unknown and known addresses are treated alike).
CREATE TABLE login_throttle (
    key               text    PRIMARY KEY,
    failures          bigint  NOT NULL,
    window_started_at bigint  NOT NULL,
    locked_until      bigint
);

-- Sign-in and sign-out events (REQUIREMENTS H6), kept 12 months to detect attacks. No IP, no e-mail.
CREATE TABLE security_log (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at bigint  NOT NULL,
    event       text    NOT NULL,
    account_id  text
);
CREATE INDEX security_log_occurred ON security_log (occurred_at);
CREATE INDEX security_log_account ON security_log (account_id);
