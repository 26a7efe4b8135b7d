-- Software update campaigns (REQUIREMENTS F3): a distribution set rolled out to many targets in waves (e.g. 1 % → 10 % →
-- all), paused when too many of a wave's installations fail, resumed or cancelled by an administrator.
CREATE TABLE sw_campaigns (
    id                text    PRIMARY KEY,
    name              text    NOT NULL,
    set_id            text    NOT NULL REFERENCES sw_distribution_sets (id),
    type              text    NOT NULL,  -- soft (the driver may postpone) | forced
    waves             text    NOT NULL,  -- JSON array of cumulative percentages, rising, the last 100: [1, 10, 100]
    error_threshold   integer NOT NULL,  -- percent of a wave's assigned targets whose failure pauses the campaign
    state             text    NOT NULL,  -- running | paused | finished | canceled
    wave              integer NOT NULL,  -- the current wave, from 0
    acknowledged_wave integer NOT NULL,  -- the last wave whose errors an administrator accepted by resuming; -1: none
    paused_reason     text,
    created_at        bigint  NOT NULL,
    updated_at        bigint  NOT NULL
);
CREATE INDEX sw_campaigns_state ON sw_campaigns (state);

CREATE TABLE sw_campaign_targets (
    campaign_id   text    NOT NULL REFERENCES sw_campaigns (id) ON DELETE CASCADE,
    controller_id text    NOT NULL REFERENCES sw_targets (controller_id) ON DELETE CASCADE,
    wave          integer NOT NULL,
    action_id     bigint,            -- the action once its wave started
    refused       text,              -- the code when its wave started but the set could not be assigned (set_does_not_fit, action_open)
    PRIMARY KEY (campaign_id, controller_id)
);
CREATE INDEX sw_campaign_targets_wave ON sw_campaign_targets (campaign_id, wave);
