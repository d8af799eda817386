-- Figures of each raw sample that charts and rollups need, so that neither parses the JSON.
ALTER TABLE metrics_raw ADD COLUMN cpu DOUBLE PRECISION;
ALTER TABLE metrics_raw ADD COLUMN mem DOUBLE PRECISION;
ALTER TABLE metrics_raw ADD COLUMN disk DOUBLE PRECISION;
ALTER TABLE metrics_raw ADD COLUMN load1 DOUBLE PRECISION;
ALTER TABLE metrics_raw ADD COLUMN net_sent DOUBLE PRECISION;
ALTER TABLE metrics_raw ADD COLUMN net_recv DOUBLE PRECISION;

-- Rollups: average and maximum per minute (kept 30 days) and per hour (kept a year).
CREATE TABLE metrics_1m (
    server_id    VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    ts           BIGINT      NOT NULL,
    samples      INTEGER     NOT NULL,
    cpu_avg      DOUBLE PRECISION, cpu_max      DOUBLE PRECISION,
    mem_avg      DOUBLE PRECISION, mem_max      DOUBLE PRECISION,
    disk_avg     DOUBLE PRECISION, disk_max     DOUBLE PRECISION,
    load1_avg    DOUBLE PRECISION, load1_max    DOUBLE PRECISION,
    net_sent_avg DOUBLE PRECISION, net_sent_max DOUBLE PRECISION,
    net_recv_avg DOUBLE PRECISION, net_recv_max DOUBLE PRECISION,
    PRIMARY KEY (server_id, ts)
);

CREATE TABLE metrics_1h (
    server_id    VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    ts           BIGINT      NOT NULL,
    samples      INTEGER     NOT NULL,
    cpu_avg      DOUBLE PRECISION, cpu_max      DOUBLE PRECISION,
    mem_avg      DOUBLE PRECISION, mem_max      DOUBLE PRECISION,
    disk_avg     DOUBLE PRECISION, disk_max     DOUBLE PRECISION,
    load1_avg    DOUBLE PRECISION, load1_max    DOUBLE PRECISION,
    net_sent_avg DOUBLE PRECISION, net_sent_max DOUBLE PRECISION,
    net_recv_avg DOUBLE PRECISION, net_recv_max DOUBLE PRECISION,
    PRIMARY KEY (server_id, ts)
);

-- Retention deletes by time across all servers.
CREATE INDEX metrics_raw_ts ON metrics_raw (ts);
CREATE INDEX metrics_1m_ts ON metrics_1m (ts);
CREATE INDEX metrics_1h_ts ON metrics_1h (ts);
