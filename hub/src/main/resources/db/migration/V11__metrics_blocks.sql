-- The compact raw tier (metrics.BlockCodec): each server's samples of one closed hour as one
-- compressed block; retention drops whole blocks.
CREATE TABLE metrics_blocks (
    server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    start     BIGINT      NOT NULL,
    samples   INTEGER     NOT NULL,
    data      BYTEA       NOT NULL,
    PRIMARY KEY (server_id, start)
);
CREATE INDEX metrics_blocks_start ON metrics_blocks (start);

-- Samples of hours not closed yet, each encoded alone, with the figures the minute rollups read.
CREATE TABLE metrics_open (
    server_id VARCHAR(36) NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    seq       BIGINT      NOT NULL,
    ts        BIGINT      NOT NULL,
    data      BYTEA       NOT NULL,
    cpu       DOUBLE PRECISION,
    mem       DOUBLE PRECISION,
    disk      DOUBLE PRECISION,
    load1     DOUBLE PRECISION,
    net_sent  DOUBLE PRECISION,
    net_recv  DOUBLE PRECISION,
    PRIMARY KEY (server_id, seq)
);
CREATE INDEX metrics_open_server_time ON metrics_open (server_id, ts);
CREATE INDEX metrics_open_ts ON metrics_open (ts);

-- Each server's newest sample as of its last closed hour (encoded alone, as in metrics_open), so
-- that it outlives the retention, with its figures for the fleet view.
CREATE TABLE metrics_latest (
    server_id VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    seq       BIGINT       NOT NULL,
    ts        BIGINT       NOT NULL,
    data      BYTEA        NOT NULL,
    cpu       DOUBLE PRECISION,
    mem       DOUBLE PRECISION,
    disk      DOUBLE PRECISION,
    load1     DOUBLE PRECISION
);
-- metrics_raw (every sample as JSON text) is emptied into these tables when the hub starts
-- (metrics.RawTierUpgrade), then dropped.
