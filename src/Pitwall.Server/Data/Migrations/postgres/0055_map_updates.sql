-- Online map update (REQUIREMENTS F5, H3): the map data per region and version that `pitwall admin maps-build` made from the
-- OpenStreetMap extracts (osmium-tool, tilemaker), the packages between versions, what each car was offered and reported, and the
-- anonymous tokens the map distribution has accepted (so that none is used twice).
CREATE TABLE map_releases (
    region      text    NOT NULL,
    version     bigint NOT NULL,
    name        text    NOT NULL,     -- the region's name, e.g. "Monaco"
    bbox        text    NOT NULL,     -- west,south,east,north (WGS84)
    source      text    NOT NULL,     -- how the version was made (extract and edit), for the record
    tiles_file  text    NOT NULL,     -- the vector tiles (.mbtiles), relative to Pitwall:Maps:Directory
    built_at    bigint  NOT NULL,
    PRIMARY KEY (region, version)
);

CREATE TABLE map_packages (
    region       text    NOT NULL,
    from_version bigint NOT NULL,    -- 0: the whole region (kind full)
    to_version   bigint NOT NULL,
    kind         text    NOT NULL,    -- full | increment
    file         text    NOT NULL,    -- relative to Pitwall:Maps:Directory
    size         bigint  NOT NULL,
    sha256       text    NOT NULL,
    PRIMARY KEY (region, from_version, to_version),
    FOREIGN KEY (region, to_version) REFERENCES map_releases (region, version) ON DELETE CASCADE
);

-- The map version each car last reported per region (overwritten at each poll).
CREATE TABLE map_car_versions (
    vin         text    NOT NULL,
    region      text    NOT NULL,
    version     bigint NOT NULL,
    reported_at bigint  NOT NULL,
    PRIMARY KEY (vin, region)
);

-- Each offer of new map data to a car and what the car reported of it (F5: "dieser Vorgang wird dokumentiert"). No token.
CREATE TABLE map_deliveries (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vin          text    NOT NULL,
    region       text    NOT NULL,
    from_version bigint NOT NULL,
    to_version   bigint NOT NULL,    -- the version the offered packages lead to
    packages     bigint NOT NULL,
    bytes        bigint  NOT NULL,
    offered_at   bigint  NOT NULL,
    result       text,                -- installed | failed; null until the car reports
    detail       text,
    reported_at  bigint
);
CREATE INDEX map_deliveries_car ON map_deliveries (vin, region, offered_at);
CREATE INDEX map_deliveries_age ON map_deliveries (offered_at);

-- Tokens the map distribution accepted: the SHA-256 of each token's nonce (random, chosen by the car, unknown to the issuer).
CREATE TABLE map_spent_tokens (
    nonce_hash text   PRIMARY KEY,
    spent_at   bigint NOT NULL
);
CREATE INDEX map_spent_tokens_age ON map_spent_tokens (spent_at);

-- Online map update comes with Connect Care (seed 001, "Online-Kartenupdate").
UPDATE packages SET services = services || ',map_update'
WHERE id = 'connect_care' AND (',' || services || ',') NOT LIKE '%,map_update,%';
