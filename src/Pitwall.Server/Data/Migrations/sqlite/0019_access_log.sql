-- The API and portal access log (REQUIREMENTS H6: IP address and access logs, 30 days): who called which route from
-- which address, and how it ended. The route is the template (/api/v1/vehicles/{vin}), never the raw path with its ids.
CREATE TABLE access_log (
    occurred_at bigint  NOT NULL,  -- when the request began, epoch ms
    client_ip   text    NOT NULL,
    method      text    NOT NULL,
    route       text    NOT NULL,  -- route template, or (unrouted)
    status      integer NOT NULL,
    duration_ms integer NOT NULL,
    account_id  text               -- the signed-in account; set to null when the account is erased
);
CREATE INDEX access_log_occurred ON access_log (occurred_at);
CREATE INDEX access_log_account ON access_log (account_id, occurred_at);
