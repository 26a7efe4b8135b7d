-- Car Control and Car Finder (REQUIREMENTS C1, C2): only the latest value of each signal, overwritten on change.
CREATE TABLE vehicle_status (
    vin        text   PRIMARY KEY REFERENCES vehicles (vin) ON DELETE CASCADE,
    snapshot   bytea  NOT NULL,  -- protobuf: the latest SignalValue of each signal
    updated_at bigint NOT NULL
);
