-- The network rates of each open row fed the per-minute rollup rows, which are gone (minute and
-- hour blocks are rolled up from the samples themselves); the fleet view reads only the others.
ALTER TABLE metrics_open DROP COLUMN net_sent;
ALTER TABLE metrics_open DROP COLUMN net_recv;
