-- Remote commands (REQUIREMENTS C4, C5): one row per command, its lifecycle and outcome.
CREATE TABLE vehicle_commands (
    id              text   PRIMARY KEY,
    vin             text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    position        bigint NOT NULL,  -- order of commands for one car
    account_id      text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type            text   NOT NULL,
    parameters      text   NOT NULL,  -- JSON object of strings
    state           text   NOT NULL,  -- accepted | sent | performed | failed | expired
    reason          text,
    idempotency_key text,
    created_at      bigint NOT NULL,
    sent_at         bigint,
    cloud_seq       bigint,           -- the frame's seq in the car's outbox, once sent
    completed_at    bigint,
    expires_at      bigint NOT NULL
);
CREATE UNIQUE INDEX vehicle_commands_order ON vehicle_commands (vin, position);
CREATE UNIQUE INDEX vehicle_commands_idempotency ON vehicle_commands (account_id, vin, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The owner's remote PIN for unlocking: a salted hash, never the PIN; wrong answers lock unlocking for a while.
CREATE TABLE remote_pins (
    account_id   text   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    salt         text   NOT NULL,
    verifier     text   NOT NULL,
    failures     bigint NOT NULL,
    locked_until bigint,
    updated_at   bigint NOT NULL
);

CREATE TABLE pin_challenges (
    challenge  text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at bigint NOT NULL
);
