-- The API and portal access log (REQUIREMENTS H6: IP address and access logs, 30 days): who called which route from
-- which address, and how it ended. The route is the template (/api/v1/vehicles/{vin}), never the raw path with its ids.
-- Partitioned by day (access_log_pYYYYMMDD, created ahead by the retention job and on demand by the writer), so that
-- expiry drops whole days instead of deleting rows; the default partition catches a day whose partition is missing.
CREATE TABLE access_log (
    occurred_at bigint  NOT NULL,  -- when the request began, epoch ms
    client_ip   text    NOT NULL,
    method      text    NOT NULL,
    route       text    NOT NULL,  -- route template, or (unrouted)
    status      integer NOT NULL,
    duration_ms integer NOT NULL,
    account_id  text               -- the signed-in account; set to null when the account is erased
) PARTITION BY RANGE (occurred_at);
CREATE TABLE access_log_default PARTITION OF access_log DEFAULT;
CREATE INDEX access_log_occurred ON access_log (occurred_at);
CREATE INDEX access_log_account ON access_log (account_id, occurred_at);
