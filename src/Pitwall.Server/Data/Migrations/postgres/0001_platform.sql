-- Job leases: one row per job name; see Data/Leases.cs.
CREATE TABLE leases (
    name       text   PRIMARY KEY,
    holder     text   NOT NULL,
    expires_at bigint NOT NULL
);
