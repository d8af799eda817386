-- Browser sessions and script tokens are stored as SHA-256 hashes: a database leak yields no usable secret.
CREATE TABLE sessions (
    token_hash CHAR(64)    PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token VARCHAR(64) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           VARCHAR(36)  PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(128) NOT NULL,
    token_hash   CHAR(64)     NOT NULL UNIQUE,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked      BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Every state-changing action; rows are only ever inserted.
CREATE TABLE audit (
    id        VARCHAR(36)  PRIMARY KEY,
    at        BIGINT       NOT NULL,
    user_id   VARCHAR(36),
    username  VARCHAR(64),
    source_ip VARCHAR(64),
    action    VARCHAR(64)  NOT NULL,
    target    VARCHAR(255),
    outcome   VARCHAR(32)  NOT NULL,
    detail    TEXT
);
CREATE INDEX audit_at ON audit (at);
