package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WriteFailuresTest {
    private static final Instant FAILED_AT = Instant.parse("2026-12-04T12:00:00Z");

    private final WriteFailures failures = new WriteFailures(Clock.fixed(FAILED_AT, ZoneOffset.UTC));

    @Test
    void a_database_that_answered_after_the_last_failed_write_is_taken_as_back() {
        failures.failed(new RuntimeException(new SQLTransientConnectionException("chatops-db - Connection is not available")), 3);

        assertThat(failures.problem(FAILED_AT.minusSeconds(1))).get().asString().startsWith("samples cannot be stored");
        assertThat(failures.problem(FAILED_AT.plusSeconds(2))).isEmpty();
    }

    @Test
    void a_full_disk_stays_a_problem_until_a_write_succeeds_whatever_the_database_answers() {
        failures.failed(new RuntimeException(new SQLException("[SQLITE_FULL] database or disk is full")), 3);

        assertThat(failures.problem(FAILED_AT.plusSeconds(2))).get().asString().contains("SQLITE_FULL");
        failures.succeeded();
        assertThat(failures.problem(FAILED_AT.minusSeconds(1))).isEmpty();
    }
}
