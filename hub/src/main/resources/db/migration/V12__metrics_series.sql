-- Every detailed series (each core, filesystem, interface and container, and swap) rolled up, as
-- metrics.SeriesCodec blocks: average and maximum per minute, one block per server-hour, and per
-- hour, one block per server-day (UTC). Written when a server's hour closes into its raw block.
CREATE TABLE metrics_1m_series (
    server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    start     BIGINT      NOT NULL,
    data      BYTEA       NOT NULL,
    PRIMARY KEY (server_id, start)
);
CREATE INDEX metrics_1m_series_start ON metrics_1m_series (start);

CREATE TABLE metrics_1h_series (
    server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    start     BIGINT      NOT NULL,
    data      BYTEA       NOT NULL,
    PRIMARY KEY (server_id, start)
);
CREATE INDEX metrics_1h_series_start ON metrics_1h_series (start);

-- The operator events of a server's charts read the audit log by target and time.
CREATE INDEX audit_target_at ON audit (target, at);

-- Agent connections and disconnections, for the same charts.
CREATE TABLE agent_connections (
    id        VARCHAR(36)  PRIMARY KEY,
    server_id VARCHAR(36)  NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    at        BIGINT       NOT NULL,
    connected BOOLEAN      NOT NULL,
    detail    VARCHAR(255)
);
CREATE INDEX agent_connections_server_at ON agent_connections (server_id, at);
CREATE INDEX agent_connections_at ON agent_connections (at);
