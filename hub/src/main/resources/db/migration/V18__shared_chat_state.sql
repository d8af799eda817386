-- Chat messages and commands per person per minute, counted alike by every hub instance on the
-- database (rows older than a minute go).
CREATE TABLE chat_rate (
    subject VARCHAR(300) NOT NULL,
    at      BIGINT       NOT NULL
);
CREATE INDEX chat_rate_subject_at ON chat_rate (subject, at);
CREATE INDEX chat_rate_at ON chat_rate (at);

-- The hub instance that runs a command and when its answer is due at the latest (its timeout and
-- the grace after it): a record left running by an instance that stopped is ended there by another.
ALTER TABLE commands ADD COLUMN instance_id VARCHAR(40);
ALTER TABLE commands ADD COLUMN deadline_at BIGINT;
UPDATE commands SET deadline_at = started_at + 86410000 WHERE status = 'running';
CREATE INDEX commands_running ON commands (deadline_at) WHERE status = 'running';

-- Fan-out jobs of the chat verb `run`, readable by every instance (`jobs`, `cancel <job>`). While
-- one runs, answer_to says where later versions of its answer go (JSON), so that another instance
-- finishes it when the one that ran it stops; it is cleared when the job ends.
CREATE TABLE chat_jobs (
    id          VARCHAR(16)  PRIMARY KEY,
    requester   VARCHAR(128) NOT NULL,
    command     TEXT         NOT NULL,
    started_at  BIGINT       NOT NULL,
    instance_id VARCHAR(40)  NOT NULL,
    answer_to   TEXT,
    finished_at BIGINT
);
CREATE INDEX chat_jobs_started ON chat_jobs (started_at);

-- One row per server of a job: its command, and once it ended, the outcome shown and the output's last lines.
CREATE TABLE chat_job_servers (
    job_id      VARCHAR(16)  NOT NULL REFERENCES chat_jobs (id) ON DELETE CASCADE,
    position    INTEGER      NOT NULL,
    server_id   VARCHAR(36)  NOT NULL,
    server_name VARCHAR(128) NOT NULL,
    command_id  VARCHAR(40),
    outcome     TEXT,
    ok          BOOLEAN      NOT NULL DEFAULT FALSE,
    tail        TEXT,
    PRIMARY KEY (job_id, position)
);
