-- Alert rules (ALERTS.md). scope and channel_ids are JSON: {"server_ids":[…],"tags":[…]} and […].
CREATE TABLE alert_rules (
    id             VARCHAR(36)  PRIMARY KEY,
    name           VARCHAR(128) NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    severity       VARCHAR(16)  NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    metric         VARCHAR(32),
    op             VARCHAR(2),
    threshold      DOUBLE PRECISION,
    container      VARCHAR(255),
    for_seconds    INTEGER      NOT NULL,
    scope          TEXT         NOT NULL,
    channel_ids    TEXT         NOT NULL,
    repeat_seconds INTEGER      NOT NULL,
    created_at     BIGINT       NOT NULL,
    created_by     VARCHAR(64)  NOT NULL
);

-- One alert per rule × server × subject and breach; an open one has no resolved_at.
CREATE TABLE alerts (
    id              VARCHAR(36)  PRIMARY KEY,
    rule_id         VARCHAR(36)  NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    server_id       VARCHAR(36)  NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    subject         VARCHAR(255) NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    value           DOUBLE PRECISION,
    started_at      BIGINT       NOT NULL,
    firing_at       BIGINT,
    resolved_at     BIGINT,
    acknowledged_by VARCHAR(64),
    acknowledged_at BIGINT,
    ack_comment     TEXT
);
CREATE INDEX alerts_state_started ON alerts (state, started_at);
CREATE INDEX alerts_server ON alerts (server_id, started_at);
CREATE INDEX alerts_rule ON alerts (rule_id);
