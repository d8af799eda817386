package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web chat room over REST: a message, the bot's answer after it, history pages, limits. */
class ChatRoomTest {
    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String viewer;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        hub.servers().create("web-01", List.of());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    JsonNode awaitMessages(int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode messages;
        do {
            messages = api.as(viewer, "GET", "/api/v1/chat/messages", null).body();
            Thread.sleep(20);
        } while (messages.size() < count && System.nanoTime() < deadline);
        return messages;
    }

    @Test
    void a_message_is_answered_by_the_bot_in_a_message_of_its_own_and_kept() throws Exception {
        Api.Response posted = api.as(viewer, "POST", "/api/v1/chat/messages", "{\"text\":\"status\"}");
        assertThat(posted.status()).isEqualTo(201);
        assertThat(posted.body().path("author").path("name").asText()).isEqualTo("vera");

        JsonNode messages = awaitMessages(2);
        assertThat(messages.get(0).path("text").asText()).isEqualTo("status");
        JsonNode answer = messages.get(1);
        assertThat(answer.path("author").path("kind").asText()).isEqualTo("bot");
        assertThat(answer.path("reply_to").asText()).isEqualTo(posted.body().path("id").asText());
        assertThat(answer.path("text").asText()).startsWith("@vera 1 server:").contains("web-01");

        hub.close();
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        JsonNode older = api.as(viewer, "GET", "/api/v1/chat/messages?limit=1&before=" + answer.path("id").asText(), null).body();
        assertThat(older).hasSize(1);
        assertThat(older.get(0).path("text").asText()).as("kept across a restart, paged by before").isEqualTo("status");
    }

    @Test
    void bad_input_and_a_flood_are_refused_with_the_reason() throws Exception {
        assertThat(api.as(viewer, "POST", "/api/v1/chat/messages", "{\"text\":7}").errorMessage()).isEqualTo("text must be the message, as text");
        assertThat(api.as(viewer, "POST", "/api/v1/chat/messages", "{\"text\":\"  \"}").status()).isEqualTo(400);
        assertThat(api.as(viewer, "GET", "/api/v1/chat/messages?before=m-nope", null).errorMessage()).isEqualTo("before names no message: m-nope");
        assertThat(api.as(viewer, "PUT", "/api/v1/chat/settings", "{\"allow_commands\":[]}").status()).isEqualTo(403);
        for (int i = 0; i < ChatRoom.PER_MINUTE; i++) {
            assertThat(api.as(viewer, "POST", "/api/v1/chat/messages", "{\"text\":\"whoami\"}").status()).isEqualTo(201);
        }
        Api.Response refused = api.as(viewer, "POST", "/api/v1/chat/messages", "{\"text\":\"whoami\"}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.errorMessage()).isEqualTo("at most 30 messages a minute; wait a little");
    }

    @Test
    void an_alert_that_fires_and_resolves_is_told_in_the_room_with_buttons() throws Exception {
        String operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules", """
                {"name":"CPU busy","severity":"critical","kind":"metric","metric":"cpu_percent","op":">","threshold":90}""").status())
                .isEqualTo(201);
        String serverId = hub.servers().byName("web-01").orElseThrow().id();
        for (double cpu : new double[] {99, 99, 20}) {
            io.chatops.protocol.Metrics sample = new io.chatops.protocol.Metrics(++seq, java.time.Instant.now(),
                    5, new io.chatops.protocol.CpuUsage(cpu, List.of(cpu), 0.1, 0.1, 0.1), null, List.of(), List.of(), 10L, null, null);
            hub.metrics().store(serverId, sample);
            hub.services().alerts().settle();
        }

        JsonNode messages = awaitMessages(2);
        assertThat(messages).hasSize(2); // the firing once (not again for the second breaching sample), then the resolution
        assertThat(messages.get(0).path("text").asText()).isEqualTo("▲ Firing (critical): cpu_percent on web-01 is 99 (> 90)");
        assertThat(messages.get(0).path("buttons").findValuesAsText("command")).hasSize(2)
                .anyMatch(command -> command.startsWith("ack ")).contains("silence web-01 1h");
        assertThat(messages.get(1).path("text").asText()).startsWith("✓ Resolved: cpu_percent on web-01 is 20 (> 90) (it fired at ");
    }

    long seq;
}
