-- Every command run through the hub, who ran it and how it ended.
CREATE TABLE commands (
    id          VARCHAR(40)  PRIMARY KEY,
    server_id   VARCHAR(36)  NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    username    VARCHAR(64)  NOT NULL,
    command     TEXT         NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    exit_code   INTEGER,
    stdout      TEXT,
    stderr      TEXT,
    truncated   BOOLEAN      NOT NULL DEFAULT FALSE,
    started_at  BIGINT       NOT NULL,
    finished_at BIGINT,
    duration_ms BIGINT,
    error       TEXT
);
CREATE INDEX commands_server_started ON commands (server_id, started_at);
