-- The web chat room's messages (CHATOPS.md). A bot answer of a fan-out job is rewritten as servers
-- finish (updated_at). buttons is JSON: [{"label","command","danger"}].
CREATE TABLE chat_messages (
    id          VARCHAR(40)  PRIMARY KEY,
    author_kind VARCHAR(8)   NOT NULL,
    author_name VARCHAR(128) NOT NULL,
    user_id     VARCHAR(36),
    text        TEXT         NOT NULL,
    buttons     TEXT,
    reply_to    VARCHAR(40),
    job_id      VARCHAR(40),
    approval_id VARCHAR(40),
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT
);
CREATE INDEX chat_messages_time ON chat_messages (created_at);

-- Commands waiting for a second operator: the canonical command (JSON: verb, server ids, command or
-- container) is what runs once approved, never the text re-parsed.
CREATE TABLE chat_approvals (
    id             VARCHAR(16)  PRIMARY KEY,
    canonical      TEXT         NOT NULL,
    summary        TEXT         NOT NULL,
    requester_id   VARCHAR(36)  NOT NULL,
    requester_name VARCHAR(128) NOT NULL,
    platform       VARCHAR(16)  NOT NULL,
    chat_user      VARCHAR(128),
    state          VARCHAR(12)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    decided_by     VARCHAR(128),
    decided_at     BIGINT,
    reason         TEXT
);
CREATE INDEX chat_approvals_state ON chat_approvals (state, expires_at);

-- Admin settings of the chat engine, by name (allow_commands, approval_for_multi_server), values JSON.
CREATE TABLE chat_settings (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);
