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

-- Each server's newest sample as its agent sent it (metrics/latest), and its figures for the fleet view.
CREATE TABLE metrics_latest (
    server_id VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    seq       BIGINT       NOT NULL,
    ts        BIGINT       NOT NULL,
    sample    TEXT         NOT NULL,
    cpu       DOUBLE PRECISION,
    mem       DOUBLE PRECISION,
    disk      DOUBLE PRECISION,
    load1     DOUBLE PRECISION
);
INSERT INTO metrics_latest (server_id, seq, ts, sample, cpu, mem, disk, load1)
    SELECT r.server_id, r.seq, r.ts, r.sample, r.cpu, r.mem, r.disk, r.load1
    FROM metrics_raw r JOIN servers s ON s.id = r.server_id AND r.seq = s.last_seq;
-- metrics_raw is emptied into the tables above when the hub starts (metrics.RawTierUpgrade), then dropped.
