-- The OpenID Connect provider (issue 20): OpenIddict's stores on Pitwall's own database.

-- Registered clients: the first-party app and portal, third-party apps, partner back ends. The client secret is kept as the hash
-- OpenIddict makes of it; the rest (type, redirect URIs, permissions, requirements, names) is one JSON body.
CREATE TABLE oidc_applications (
    id          text PRIMARY KEY,
    client_id   text NOT NULL UNIQUE,
    body        text NOT NULL,
    concurrency text NOT NULL
);

-- Grants of scopes by a subject (an account, or a partner client itself) to a client: an owner's consent to a third-party app,
-- or the grant behind one sign-in of the first-party app. Revoking one ends every token of it (the family).
CREATE TABLE oidc_authorizations (
    id             text PRIMARY KEY,
    application_id text REFERENCES oidc_applications (id) ON DELETE CASCADE,
    subject        text,
    status         text,
    type           text,
    scopes         text,
    properties     text,
    created_at     bigint,
    concurrency    text NOT NULL
);
CREATE INDEX oidc_authorizations_subject ON oidc_authorizations (subject, application_id);
CREATE INDEX oidc_authorizations_application ON oidc_authorizations (application_id);

-- Authorization codes, refresh and access tokens. reference_id is the SHA-256 of the value the client holds; payload is the
-- token itself, encrypted with the server's key.
CREATE TABLE oidc_tokens (
    id               text PRIMARY KEY,
    application_id   text REFERENCES oidc_applications (id) ON DELETE CASCADE,
    authorization_id text REFERENCES oidc_authorizations (id) ON DELETE CASCADE,
    subject          text,
    type             text,
    status           text,
    reference_id     text UNIQUE,
    payload          text,
    properties       text,
    created_at       bigint,
    expires_at       bigint,
    redeemed_at      bigint,
    concurrency      text NOT NULL
);
CREATE INDEX oidc_tokens_authorization ON oidc_tokens (authorization_id);
CREATE INDEX oidc_tokens_subject ON oidc_tokens (subject);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (expires_at);

-- The provider's signing and encryption keys (RSA, PKCS#8 PEM): made by the first instance that starts, shared by all.
CREATE TABLE oidc_keys (
    purpose    text PRIMARY KEY,
    key_pem    text NOT NULL,
    created_at bigint NOT NULL
);
