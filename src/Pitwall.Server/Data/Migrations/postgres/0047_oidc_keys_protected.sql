-- The provider's signing and encryption keys encrypted at rest with ASP.NET data protection (issue 20): key_protected holds
-- the PKCS#8 PEM protected; key_pem is emptied by the first instance that starts after this migration (data protection
-- runs in the server, not in SQL).
ALTER TABLE oidc_keys ALTER COLUMN key_pem DROP NOT NULL;
ALTER TABLE oidc_keys ADD COLUMN key_protected text;
