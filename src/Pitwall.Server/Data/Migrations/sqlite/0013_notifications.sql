-- Notifications: the in-app inbox (one row per recipient), the outbox of deliveries on the other channels, and each
-- account's choices (channels per type, quiet hours, push devices, webhook subscriptions).
CREATE TABLE notifications (
    id         text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    vin        text   NOT NULL,
    type       text   NOT NULL,
    message    text   NOT NULL,
    dedup_key  text   NOT NULL,  -- the feature's key: a car's resent message never notifies twice
    created_at bigint NOT NULL,
    read_at    bigint,
    UNIQUE (account_id, vin, dedup_key)
);
CREATE INDEX notifications_inbox ON notifications (account_id, created_at);
CREATE INDEX notifications_age ON notifications (created_at);

CREATE TABLE notification_deliveries (
    id              text   PRIMARY KEY,  -- stable: sent as webhook-id, apns-id, Message-ID
    notification_id text   NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    channel         text   NOT NULL,     -- push | sms | email | webhook
    target          text   NOT NULL,     -- device:<id> | phone | email | webhook:<id>, resolved when sending
    state           text   NOT NULL,     -- pending | delivered | failed | skipped
    attempts        bigint NOT NULL,
    next_attempt_at bigint NOT NULL,     -- also the claim: a sender moves it ahead while it sends
    last_error      text,
    delivered_at    bigint,
    UNIQUE (notification_id, channel, target)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (channel, next_attempt_at) WHERE state = 'pending';

CREATE TABLE notification_preferences (
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type       text   NOT NULL,
    channel    text   NOT NULL,
    enabled    bigint NOT NULL,
    PRIMARY KEY (account_id, type, channel)
);

CREATE TABLE notification_quiet_hours (
    account_id  text   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    from_minute bigint NOT NULL,  -- minutes after local midnight
    to_minute   bigint NOT NULL,
    time_zone   text   NOT NULL   -- IANA id
);

CREATE TABLE push_devices (
    id         text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    platform   text   NOT NULL,  -- fcm | apns
    token      text   NOT NULL,
    name       text   NOT NULL,
    created_at bigint NOT NULL,
    UNIQUE (platform, token)
);
CREATE INDEX push_devices_account ON push_devices (account_id);

CREATE TABLE webhook_subscriptions (
    id         text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url        text   NOT NULL,
    secret     text   NOT NULL,  -- whsec_…, shown once at creation
    types      text   NOT NULL,  -- comma-separated notification types; * = all
    active     bigint NOT NULL,  -- 0 once the receiver said 410 Gone
    created_at bigint NOT NULL
);
CREATE INDEX webhook_subscriptions_account ON webhook_subscriptions (account_id);
