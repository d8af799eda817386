package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hostile clients of {@link HostileClients} at CI size: each is throttled or closed with a
 * reason, and the well-behaved agents beside them keep their links and get every sample
 * acknowledged. Their latencies are printed, not asserted: scripts/bench-faults abuse measures them.
 */
class HostileClientsTest {
    @Test
    void hostile_clients_are_throttled_or_closed_and_the_fleet_goes_on() throws Exception {
        HostileClients.Result result = HostileClients.run(100, Duration.ofSeconds(25)); // the hub cuts slow requests off after 20 s

        assertThat(result.phases()).allSatisfy(phase -> assertThat(phase.agentsReconnected()).as(phase.name()).isZero());
        assertThat(result.sent()).isPositive();
        String flood = result.phase("one link sending").outcome();
        double sentPerSecond = Double.parseDouble(flood.substring("sent ".length(), flood.indexOf(' ', "sent ".length())));
        assertThat(sentPerSecond).as(flood).isLessThan(2_500); // a burst, then 100 a second, of the 10 000 it tried
        assertThat(result.phase("frames of").outcome())
                .contains("8 MiB before auth: closed 1009", "8 MiB after auth: closed 1009", "1.5 MiB after auth: closed 1008 too many bad frames");
        assertThat(result.phase("1000 slowloris").outcome()).contains("answered HTTP/1.1 408 Request Timeout").doesNotContain("none closed");
        assertThat(result.phase("10000 idle").outcome()).contains("ended by the hub: answered HTTP/1.1 408 Request Timeout");
        assertThat(result.phase("50 sign-in").outcome()).contains("401 ×10,", "429 ×");
        assertThat(result.phase("a live socket").outcome()).contains("it was sent");
    }
}
