-- Portable between SQLite and PostgreSQL: ids are text made by the hub, times are epoch milliseconds.
CREATE TABLE users (
    id            VARCHAR(36)  PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE servers (
    id         VARCHAR(36)  PRIMARY KEY,
    name       VARCHAR(128) NOT NULL UNIQUE,
    tags       TEXT         NOT NULL,
    created_at BIGINT       NOT NULL,
    last_seen  BIGINT,
    agent      TEXT,
    last_seq   BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE api_keys (
    id           VARCHAR(36)  PRIMARY KEY,
    server_id    VARCHAR(36)  NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name         VARCHAR(128) NOT NULL,
    prefix       VARCHAR(16)  NOT NULL,
    key_hash     CHAR(64)     NOT NULL UNIQUE,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked      BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX api_keys_server ON api_keys (server_id);

-- Raw samples as the agent sent them; (server_id, seq) makes a replayed sample a no-op.
CREATE TABLE metrics_raw (
    server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    seq       BIGINT      NOT NULL,
    ts        BIGINT      NOT NULL,
    sample    TEXT        NOT NULL,
    PRIMARY KEY (server_id, seq)
);
CREATE INDEX metrics_raw_server_time ON metrics_raw (server_id, ts);
