-- Chat platform identities bound to hub users (CHATOPS.md): a person is known by
-- (platform, team id, user id), never by a display name.
CREATE TABLE chat_identities (
    id           VARCHAR(36)  PRIMARY KEY,
    platform     VARCHAR(16)  NOT NULL,
    team_id      VARCHAR(64)  NOT NULL,
    chat_user_id VARCHAR(64)  NOT NULL,
    user_id      VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT       NOT NULL,
    UNIQUE (platform, team_id, chat_user_id)
);

-- One-time links that bind an identity once a signed-in hub user opens them; only a hash of the
-- nonce is kept, and a link lasts ten minutes.
CREATE TABLE chat_link_requests (
    nonce_hash   VARCHAR(64)  PRIMARY KEY,
    platform     VARCHAR(16)  NOT NULL,
    team_id      VARCHAR(64)  NOT NULL,
    chat_user_id VARCHAR(64)  NOT NULL,
    expires_at   BIGINT       NOT NULL
);

-- Settings of the chat integrations by name (slack, mattermost); config is JSON with secrets,
-- which the API never returns.
CREATE TABLE chat_integrations (
    name   VARCHAR(32) PRIMARY KEY,
    config TEXT        NOT NULL
);
