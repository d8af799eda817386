-- Several hubs on one PostgreSQL (docs/scale-out.md). Each running hub is an instance with a
-- heartbeat; an instance silent for long is dead, and removing its row removes what it held.
-- On SQLite there is one hub and these tables stay empty.
CREATE TABLE hub_instances (
    id           VARCHAR(32) PRIMARY KEY,
    started_at   BIGINT      NOT NULL,
    heartbeat_at BIGINT      NOT NULL
);

-- Messages from one instance to another: requests for agents connected elsewhere and their
-- answers, live events for browsers on other instances. The recipient deletes what it reads;
-- a sender's messages are read in the order it numbered them.
CREATE TABLE hub_messages (
    to_instance   VARCHAR(32)  NOT NULL REFERENCES hub_instances (id) ON DELETE CASCADE,
    from_instance VARCHAR(32)  NOT NULL,
    seq           BIGINT       NOT NULL,
    kind          VARCHAR(32)  NOT NULL,
    body          TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (to_instance, from_instance, seq)
);
CREATE INDEX hub_messages_created_at ON hub_messages (created_at);

-- Which instance holds each connected agent's link: valid while that instance is alive.
CREATE TABLE agent_leases (
    server_id    VARCHAR(36) PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    instance_id  VARCHAR(32) NOT NULL REFERENCES hub_instances (id) ON DELETE CASCADE,
    agent        TEXT        NOT NULL,
    connected_at BIGINT      NOT NULL,
    silent       BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX agent_leases_instance ON agent_leases (instance_id);

-- The live topics of single servers that browsers on each instance follow, so that an instance
-- forwards a server's samples only to instances whose browsers show them.
CREATE TABLE live_interest (
    instance_id VARCHAR(32)  NOT NULL REFERENCES hub_instances (id) ON DELETE CASCADE,
    topic       VARCHAR(128) NOT NULL,
    PRIMARY KEY (instance_id, topic)
);
