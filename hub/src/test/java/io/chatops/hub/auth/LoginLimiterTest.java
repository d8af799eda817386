package io.chatops.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.MutableClock;
import io.chatops.hub.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginLimiterTest {
    @TempDir
    Path dir;

    Database database;
    final MutableClock clock = new MutableClock();
    LoginLimiter limiter;

    @BeforeEach
    void open() {
        clock.set(Instant.parse("2026-12-04T10:00:00Z"));
        database = Database.open(null, null, null, dir);
        limiter = new LoginLimiter(database.jdbi(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void past_the_limit_attempts_are_refused_and_recorded_once_a_minute_with_their_count() {
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            assertThat(limiter.check("admin", "10.0.0.9")).isEmpty();
            limiter.failed("admin", "10.0.0.9");
        }
        assertThat(limiter.check("admin", "10.0.0.9")).contains(new LoginLimiter.Refusal(true, 1));
        for (int i = 1; i < 500; i++) {
            assertThat(limiter.check("root", "10.0.0.9")).contains(new LoginLimiter.Refusal(false, i)); // the address is blocked
        }
        clock.advance(LoginLimiter.RECORD_EVERY);
        assertThat(limiter.check("admin", "10.0.0.9")).contains(new LoginLimiter.Refusal(true, 500));
        assertThat(limiter.check("admin", "10.0.0.7")).as("the user is blocked from anywhere").isPresent();
        assertThat(limiter.check("operator", "10.0.0.7")).isEmpty();
    }

    @Test
    void a_blocked_subject_is_refused_from_memory_and_asked_of_the_database_again_after_a_while() {
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            limiter.failed("admin", "10.0.0.9");
        }
        assertThat(limiter.check("admin", "10.0.0.9")).isPresent();
        // Another hub instance's restart, or the window passing, could clear the failures: the memory holds for a while only.
        database.jdbi().useHandle(h -> h.execute("DELETE FROM login_failures"));
        clock.advance(LoginLimiter.RECHECK_EVERY.minus(Duration.ofMillis(1)));
        assertThat(limiter.check("admin", "10.0.0.9")).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.check("admin", "10.0.0.9")).isEmpty();
    }

    @Test
    void the_block_ends_when_the_failures_age_out_of_the_window() {
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            limiter.failed("admin", "10.0.0.9");
        }
        assertThat(limiter.check("admin", "10.0.0.9")).isPresent();
        clock.advance(LoginLimiter.WINDOW);
        assertThat(limiter.check("admin", "10.0.0.9")).isEmpty();
    }
}
