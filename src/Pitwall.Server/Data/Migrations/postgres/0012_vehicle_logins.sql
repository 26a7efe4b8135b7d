-- Car login and logout events (REQUIREMENTS H6), kept 12 months to detect attacks on the vehicle link.
CREATE TABLE vehicle_logins (
    occurred_at bigint NOT NULL,
    vin         text   NOT NULL,
    event       text   NOT NULL  -- login | logout
);
CREATE INDEX vehicle_logins_vin ON vehicle_logins (vin, occurred_at);
CREATE INDEX vehicle_logins_occurred ON vehicle_logins (occurred_at);
