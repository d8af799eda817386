-- Failed sign-ins, per username and per source address, for the rate limit: shared by every hub
-- instance on the database, and kept across a restart. Rows older than the limit's window go.
CREATE TABLE login_failures (
    subject VARCHAR(300) NOT NULL,
    at      BIGINT       NOT NULL
);
CREATE INDEX login_failures_subject_at ON login_failures (subject, at);
CREATE INDEX login_failures_at ON login_failures (at);
