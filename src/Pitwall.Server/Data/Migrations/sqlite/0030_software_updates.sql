-- Software updates over the air (REQUIREMENTS F3): the catalogue (software modules with their content-addressed artifacts,
-- whose bytes live on disk under their SHA-256; distribution sets per model, model year and hardware variant), the update
-- targets (hawkBit's "controllers": a car or one of its control units) and the actions that bring a set to a target, with
-- every status the target reported.
CREATE TABLE sw_modules (
    id          text   PRIMARY KEY,
    kind        text   NOT NULL,  -- os | application | firmware | …: the hawkBit chunk's "part"
    name        text   NOT NULL,
    version     text   NOT NULL,
    vendor      text,
    description text,
    created_at  bigint NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE sw_artifacts (
    module_id  text   NOT NULL REFERENCES sw_modules (id) ON DELETE CASCADE,
    filename   text   NOT NULL,
    size       bigint NOT NULL,
    sha256     text   NOT NULL,  -- lowercase hex; also the file's name in the artifact directory
    sha1       text   NOT NULL,
    md5        text   NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (module_id, filename)
);
CREATE INDEX sw_artifacts_content ON sw_artifacts (sha256);

CREATE TABLE sw_distribution_sets (
    id               text    PRIMARY KEY,
    name             text    NOT NULL,
    version          text    NOT NULL,
    update_kind      text    NOT NULL,  -- security | feature | maintenance: what the owner's preferences distinguish
    model            text,              -- null: every model
    from_year        integer,
    to_year          integer,
    hardware_variant text,              -- null: every variant
    description      text,
    created_at       bigint  NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE sw_set_modules (
    set_id    text NOT NULL REFERENCES sw_distribution_sets (id) ON DELETE CASCADE,
    module_id text NOT NULL REFERENCES sw_modules (id),
    PRIMARY KEY (set_id, module_id)
);

CREATE TABLE sw_targets (
    controller_id        text    PRIMARY KEY,
    vin                  text    REFERENCES vehicles (vin) ON DELETE CASCADE,  -- null: a device that is no registered car
    token_hash           text,              -- SHA-256 (hex) of the target token; null: gateway token only
    hardware_variant     text,
    attributes           text    NOT NULL,  -- JSON object: the controller's configData
    attributes_requested integer NOT NULL,  -- 1: the next poll offers configData
    installed_set_id     text    REFERENCES sw_distribution_sets (id),
    installed_at         bigint,
    last_poll_at         bigint,
    created_at           bigint  NOT NULL
);
CREATE INDEX sw_targets_vin ON sw_targets (vin);

CREATE TABLE sw_actions (
    id            integer PRIMARY KEY AUTOINCREMENT,
    controller_id text    NOT NULL REFERENCES sw_targets (controller_id) ON DELETE CASCADE,
    set_id        text    NOT NULL REFERENCES sw_distribution_sets (id),
    type          text    NOT NULL,  -- soft | forced | downloadonly
    status        text    NOT NULL,  -- pending | retrieved | running | downloading | downloaded | canceling | canceled | finished | error
    active        integer NOT NULL,
    created_at    bigint  NOT NULL,
    updated_at    bigint  NOT NULL
);
CREATE INDEX sw_actions_target ON sw_actions (controller_id, active);

CREATE TABLE sw_action_status (
    action_id  bigint  NOT NULL REFERENCES sw_actions (id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    at         bigint  NOT NULL,
    execution  text    NOT NULL,  -- the DDI execution (closed, proceeding, …) or the server's own step (assigned, cancel_requested)
    finished   text    NOT NULL,  -- success | failure | none
    progress   text,              -- "cnt/of"
    details    text    NOT NULL,  -- JSON array of the target's messages
    PRIMARY KEY (action_id, seq)
);
