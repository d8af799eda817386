package io.chatops.agent.link;

import java.time.Duration;

/**
 * The link's deadlines. Production uses {@link #DEFAULT}; tests against a real socket shorten
 * them instead of waiting minutes.
 *
 * @param readDeadline a connection on which nothing arrived this long is dead (the hub pings every 20 s)
 * @param authDeadline time for the hub to answer {@code auth}
 * @param keyRetry     wait after the hub refused the key: nothing changes until someone fixes it
 * @param closeGrace   a clean close gets this long before the connection is dropped
 */
public record LinkTimings(Duration readDeadline, Duration authDeadline, Duration keyRetry, Duration closeGrace) {
    public static final LinkTimings DEFAULT = new LinkTimings(
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(3));
}
