-- Where alerts are sent (ALERTS.md). config is JSON and holds the channel's secrets (a signing
-- secret, a webhook URL), which the API never returns after creation.
CREATE TABLE notification_channels (
    id         VARCHAR(36)  PRIMARY KEY,
    name       VARCHAR(128) NOT NULL,
    type       VARCHAR(16)  NOT NULL,
    config     TEXT         NOT NULL,
    enabled    BOOLEAN      NOT NULL,
    created_at BIGINT       NOT NULL
);

-- The outbox: every notification, written in the same transaction as the change of state that
-- caused it, then sent (and retried) by the delivery worker. id is the webhook-id of every attempt.
CREATE TABLE notifications (
    id              VARCHAR(40)  PRIMARY KEY,
    channel_id      VARCHAR(36)  NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    alert_id        VARCHAR(36),
    event           VARCHAR(32)  NOT NULL,
    body            TEXT         NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    created_at      BIGINT       NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    last_error      TEXT,
    sent_at         BIGINT
);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
CREATE INDEX notifications_alert ON notifications (alert_id, channel_id, created_at);

-- When an alert last went out, for repeat_seconds.
ALTER TABLE alerts ADD COLUMN last_notified_at BIGINT;
