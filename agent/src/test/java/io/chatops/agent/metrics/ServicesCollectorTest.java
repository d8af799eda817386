package io.chatops.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.CollectorError;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.ServiceStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services collector against a real systemd (a user manager on a private bus: see {@link UserSystemd}). */
class ServicesCollectorTest {
    @TempDir
    Path scratch;

    final Fixtures.Ticks ticks = new Fixtures.Ticks();

    @Test
    void counts_services_by_state_and_names_the_failed_ones_every_30_seconds() throws Exception {
        try (UserSystemd systemd = new UserSystemd(scratch.resolve("systemd"), Map.of(
                "web.service", "[Service]\nExecStart=/bin/sleep 600\n",
                "worker.service", "[Service]\nExecStart=/bin/sleep 600\n",
                "backup.service", "[Service]\nExecStart=/bin/false\n"))) {
            assertThat(systemd.systemctl("start", "web.service", "worker.service").exitValue()).isZero();
            systemd.systemctl("start", "backup.service");
            UserSystemd.await(() -> systemd.systemctl("is-failed", "backup.service").exitValue() == 0, "backup.service to fail");
            Sampler sampler = sampler(host(true), systemd.bus);

            Metrics first = sampler.sample(1, SamplerTest.INTERVAL, null);
            assertThat(first.errors()).isNull();
            ServiceStates services = first.services();
            assertThat(services.active()).as("web and worker, and what the user manager runs itself").isGreaterThanOrEqualTo(2);
            assertThat(services.failed()).isEqualTo(1);
            assertThat(services.failedUnits()).containsExactly("backup.service");

            assertThat(systemd.systemctl("stop", "worker.service").exitValue()).isZero();
            assertThat(systemd.systemctl("reset-failed", "backup.service").exitValue()).isZero();
            ticks.advance(Duration.ofSeconds(25));
            assertThat(sampler.sample(2, SamplerTest.INTERVAL, null).services()).as("asked at most every 30 s").isEqualTo(services);
            ticks.advance(Duration.ofSeconds(5));
            ServiceStates later = sampler.sample(3, SamplerTest.INTERVAL, null).services();
            assertThat(later.failed()).isZero();
            assertThat(later.failedUnits()).isEmpty();
            assertThat(later.active()).isEqualTo(services.active() - 1);
        }
    }

    @Test
    void a_bus_that_went_away_is_the_collectors_error_until_it_is_back() throws Exception {
        try (UserSystemd systemd = new UserSystemd(scratch.resolve("systemd"), Map.of())) {
            Sampler sampler = sampler(host(true), systemd.bus);
            assertThat(sampler.sample(1, SamplerTest.INTERVAL, null).services()).isNotNull();

            systemd.stopBus();
            ticks.advance(Duration.ofSeconds(30));
            Metrics broken = sampler.sample(2, SamplerTest.INTERVAL, null);
            Metrics next = sampler.sample(3, SamplerTest.INTERVAL, null);

            assertThat(broken.services()).isNull();
            assertThat(broken.errors()).extracting(CollectorError::collector).containsExactly("services");
            assertThat(broken.errors().get(0).message()).startsWith("cannot ask systemd for its services: ");
            assertThat(next.errors()).as("named in every sample until the next attempt").extracting(CollectorError::collector)
                    .containsExactly("services");
            assertThat(broken.cpu()).as("the other collectors are untouched").isNotNull();

            systemd.startBus();
            ticks.advance(Duration.ofSeconds(30));
            Metrics healed = sampler.sample(4, SamplerTest.INTERVAL, null);
            assertThat(healed.errors()).as("asked again on a new connection").isNull();
            assertThat(healed.services()).isNotNull();
        }
    }

    @Test
    void a_host_without_systemd_or_with_services_disabled_reports_none_and_no_error() throws Exception {
        Path nowhere = scratch.resolve("no-bus");
        Metrics withoutSystemd = sampler(host(false), nowhere).sample(1, SamplerTest.INTERVAL, null);
        Metrics disabled = Sampler.forHost(host(true), SamplerTest.CLOCK, ticks, path -> new SpaceProbe.Space(1, 1, 0),
                Duration.ofSeconds(1), false, nowhere).sample(1, SamplerTest.INTERVAL, null);

        assertThat(withoutSystemd.services()).isNull();
        assertThat(disabled.services()).isNull();
        assertThat(withoutSystemd.errors()).isNull();
        assertThat(disabled.errors()).isNull();
    }

    /** The fixture VM, with {@code /run/systemd/system} when it is to look as if booted with systemd. */
    private ProcFs host(boolean systemd) throws Exception {
        ProcFs fs = Fixtures.copy("vm-6.18", scratch.resolve(systemd ? "with-systemd" : "without"));
        if (systemd) {
            Files.createDirectories(fs.resolve("run/systemd/system"));
        }
        return fs;
    }

    private Sampler sampler(ProcFs fs, Path bus) throws Exception {
        return Sampler.forHost(fs, SamplerTest.CLOCK, ticks, SamplerTest.fixedSpace(fs), Duration.ofSeconds(1), true, bus);
    }
}
