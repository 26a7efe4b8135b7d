-- The provider's signing and encryption keys encrypted at rest with ASP.NET data protection (issue 20): key_protected holds
-- the PKCS#8 PEM protected; key_pem is emptied by the first instance that starts after this migration (data protection
-- runs in the server, not in SQL). SQLite cannot drop a NOT NULL constraint, so the table is made anew.
CREATE TABLE oidc_keys_new (
    purpose       text PRIMARY KEY,
    key_pem       text,
    key_protected text,
    created_at    bigint NOT NULL
);
INSERT INTO oidc_keys_new (purpose, key_pem, created_at) SELECT purpose, key_pem, created_at FROM oidc_keys;
DROP TABLE oidc_keys;
ALTER TABLE oidc_keys_new RENAME TO oidc_keys;
