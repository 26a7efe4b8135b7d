-- The ASP.NET Core data-protection key ring (portal cookies, antiforgery tokens) in the database, so that every instance
-- of a scaled-out platform reads the cookies any other made (issue 19).
CREATE TABLE data_protection_keys (
    name       text   PRIMARY KEY,
    xml        text   NOT NULL,
    created_at bigint NOT NULL
);
