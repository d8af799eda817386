package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The counter-rate rule, from the cases in {@code testdata/counter-rates.json} that the web
 * interface's tests read too, so that live and historical charts cannot disagree again.
 */
class CounterRateTest {
    static final Path SHARED_CASES = Path.of("..", "testdata", "counter-rates.json");

    static Stream<Arguments> sharedCases() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(SHARED_CASES.toFile()).path("cases");
        return StreamSupport.stream(cases.spliterator(), false).map(c -> Arguments.of(c.path("name").asText(),
                c.path("previous").asLong(), c.path("current").asLong(), c.path("seconds").asLong(),
                c.path("rate").isNull() ? null : c.path("rate").asDouble()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedCases")
    void gives_the_shared_rate(String name, long previous, long current, long seconds, Double rate) {
        assertThat(CounterRate.perSecond(previous, current, Duration.ofSeconds(seconds))).isEqualTo(rate);
    }
}
