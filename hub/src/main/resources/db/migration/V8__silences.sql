-- Silences (ALERTS.md): matching alerts still change state and are listed, but send nothing until
-- "until". A null server_id, rule_id or subject matches any.
CREATE TABLE silences (
    id         VARCHAR(36)  PRIMARY KEY,
    server_id  VARCHAR(36)  REFERENCES servers (id) ON DELETE CASCADE,
    rule_id    VARCHAR(36)  REFERENCES alert_rules (id) ON DELETE CASCADE,
    subject    VARCHAR(255),
    until      BIGINT       NOT NULL,
    reason     TEXT         NOT NULL,
    created_by VARCHAR(64)  NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE INDEX silences_until ON silences (until);
