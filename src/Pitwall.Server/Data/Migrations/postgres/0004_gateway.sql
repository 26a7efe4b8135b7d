-- The link to each car: sequence numbers for at-least-once delivery both ways, and what the car said in hello.
CREATE TABLE vehicle_link (
    vin               text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    last_car_seq      bigint NOT NULL,  -- highest car seq held durably (dedup high-water mark)
    next_cloud_seq    bigint NOT NULL,  -- last cloud seq handed out
    car_acked_seq     bigint NOT NULL,  -- highest cloud seq the car acknowledged
    protocol_version  bigint,
    software          text,             -- JSON [{component, version}]
    supported_signals text,             -- JSON [id]
    privacy           text,             -- JSON of the car's privacy switches
    last_seen_at      bigint
);

-- Cloud-to-car frames not yet acknowledged by the car; resent after reconnect until they expire.
CREATE TABLE vehicle_outbox (
    vin        text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    payload    bytea  NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (vin, seq)
);

-- One-time challenges of development-mode vehicle authentication.
CREATE TABLE vehicle_auth_nonces (
    nonce_hash text   PRIMARY KEY,
    vin        text   NOT NULL,
    expires_at bigint NOT NULL,
    used_at    bigint
);
