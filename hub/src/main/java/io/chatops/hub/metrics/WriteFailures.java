package io.chatops.hub.metrics;

import io.chatops.hub.db.StorageTrouble;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether samples can be stored right now, for {@code /readyz}, and the log of an outage: one
 * error when storing starts failing (with its stack trace unless the storage is full or away), one line a minute while it goes on and
 * one when it works again, instead of a stack trace per batch every few milliseconds. Written by
 * the metrics writer's thread only; read from any.
 */
final class WriteFailures {
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(WriteFailures.class);

    private final Clock clock;
    private volatile String problem;
    /** When the last failed write failed, if the database was away then (null after any other failure, a full disk). */
    private volatile Instant unreachableAt;
    private Instant since;
    private Instant reportedAt;
    private long refused;
    private long refusedSinceReport;

    WriteFailures(Clock clock) {
        this.clock = clock;
    }

    /** {@code samples} were refused because {@code error} ended their transaction. */
    void failed(RuntimeException error, int samples) {
        Instant now = clock.instant();
        Optional<StorageTrouble> trouble = StorageTrouble.of(error);
        unreachableAt = trouble.orElse(null) == StorageTrouble.UNREACHABLE ? now : null;
        refused += samples;
        refusedSinceReport += samples;
        if (problem == null) {
            problem = "samples cannot be stored: " + rootMessage(error);
            since = now;
            reportedAt = now;
            refusedSinceReport = 0;
            String consequence = "agents keep them and send them again once the hub can store them";
            if (trouble.isPresent()) {
                LOG.error("storing samples fails ({}); {}", rootMessage(error), consequence);
            } else {
                LOG.error("storing samples fails; {}", consequence, error);
            }
        } else if (!now.isBefore(reportedAt.plus(REPORT_EVERY))) {
            LOG.error("storing samples still fails ({}), for {} s now; {} samples refused in the last {} s", rootMessage(error),
                    Duration.between(since, now).toSeconds(), refusedSinceReport, Duration.between(reportedAt, now).toSeconds());
            reportedAt = now;
            refusedSinceReport = 0;
        }
    }

    void succeeded() {
        if (problem != null) {
            LOG.info("storing samples works again after {} s; {} samples were refused meanwhile and their agents send them again",
                    Duration.between(since, clock.instant()).toSeconds(), refused);
            problem = null;
            refused = 0;
        }
    }

    /**
     * What keeps samples from being stored, while it lasts. A database that was away and has answered
     * since the last failed write ({@code databaseAnsweredAt}) is taken as back: the next write that
     * proves it may wait for an agent to send its oldest sample again, up to half a minute later.
     */
    Optional<String> problem(Instant databaseAnsweredAt) {
        String current = problem;
        Instant databaseAwayAt = unreachableAt;
        if (current != null && databaseAwayAt != null && databaseAnsweredAt.isAfter(databaseAwayAt)) {
            return Optional.empty();
        }
        return Optional.ofNullable(current);
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage()).strip();
    }
}
