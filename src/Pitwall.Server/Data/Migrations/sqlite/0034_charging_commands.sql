-- Charging Service, OCPI 2.2.1 Commands (Pitwall the Sender): the start, stop and unlock requests Pitwall sent to a charge point
-- operator for an account, the operator's answer (CommandResponse), the charge point's result (CommandResult) and until when the
-- result may come; kept 90 days like the sessions (P3).
CREATE TABLE charging_commands (
    id           text PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    vin          text NOT NULL,
    partner_id   text NOT NULL REFERENCES charging_partners (id) ON DELETE CASCADE,
    command      text NOT NULL,
    location_id  text,
    evse_uid     text,
    evse_id      text,
    connector_id text,
    session_id   text,
    status       text NOT NULL,
    response     text,
    result       text,
    message      text,
    deadline     bigint NOT NULL,
    created_at   bigint NOT NULL,
    updated_at   bigint NOT NULL
);
CREATE INDEX charging_commands_account ON charging_commands (account_id, created_at);
CREATE INDEX charging_commands_open ON charging_commands (status, deadline);
