package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {
    /** Slack's own example from "Verifying requests from Slack". */
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TIMESTAMP = "1531420618";
    static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    final MutableClock clock = new MutableClock();
    final SlackSignature signature = new SlackSignature(clock);

    @Test
    void slacks_published_example_signs_as_slack_says() {
        assertThat(SlackSignature.sign(SECRET, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(EXPECTED);
        clock.set(Instant.ofEpochSecond(1531420618 + 10));
        signature.verify(SECRET, TIMESTAMP, EXPECTED, BODY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_wrong_signature_an_old_or_future_timestamp_and_a_replay_are_refused() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        clock.set(Instant.ofEpochSecond(1531420618));
        assertThatThrownBy(() -> signature.verify(SECRET, TIMESTAMP, EXPECTED.replace('a', 'b'), body))
                .hasMessage("the request's signature does not match the signing secret");
        assertThatThrownBy(() -> signature.verify(SECRET, TIMESTAMP, EXPECTED, (BODY + "&text=reboot").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the request's signature does not match the signing secret");
        assertThatThrownBy(() -> signature.verify(SECRET, null, EXPECTED, body)).hasMessageContaining("missing X-Slack-Request-Timestamp");

        signature.verify(SECRET, TIMESTAMP, EXPECTED, body);
        assertThatThrownBy(() -> signature.verify(SECRET, TIMESTAMP, EXPECTED, body)).hasMessage("this request was received before; a replay is refused");

        clock.set(Instant.ofEpochSecond(1531420618).plus(Duration.ofSeconds(301)));
        assertThatThrownBy(() -> signature.verify(SECRET, TIMESTAMP, EXPECTED, body))
                .hasMessage("the request's timestamp is more than 5 minutes from the hub's clock");
        clock.set(Instant.ofEpochSecond(1531420618).minus(Duration.ofSeconds(301)));
        assertThatThrownBy(() -> signature.verify(SECRET, TIMESTAMP, EXPECTED, body))
                .as("from the future too").hasMessage("the request's timestamp is more than 5 minutes from the hub's clock");
    }
}
