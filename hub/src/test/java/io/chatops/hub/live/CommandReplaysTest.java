package io.chatops.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandReplaysTest {
    final MutableClock clock = new MutableClock();
    final CommandReplays replays = new CommandReplays(clock);

    static Map<String, Object> output(String data) {
        return Map.of("type", "command_output", "stream", "stdout", "data", data);
    }

    void publish(String commandId, Map<String, Object> message) {
        replays.publish(commandId, message, message.toString(), () -> { });
    }

    List<Map<String, Object>> replayed(String commandId) {
        List<Map<String, Object>> missed = new ArrayList<>();
        replays.subscribe(commandId, () -> { }, missed::add);
        return missed;
    }

    @Test
    void a_command_running_for_most_of_a_day_keeps_its_replay() {
        publish("c-long", output("started\n"));
        clock.advance(Duration.ofHours(23));
        replays.expire();

        assertThat(replayed("c-long")).extracting(m -> m.get("data")).containsExactly("started\n");
    }

    @Test
    void a_finished_command_s_replay_goes_shortly_after_its_end() {
        publish("c-done", output("x"));
        publish("c-done", Map.of("type", "command_finished", "command_id", "c-done"));
        clock.advance(CommandReplays.KEEP_AFTER_FINISH.plusSeconds(1));
        replays.expire();

        assertThat(replays.size()).isZero();
    }

    @Test
    void the_limit_counts_bytes_not_characters() {
        // Three bytes per character in UTF-8: a third of the limit in characters already fills it.
        String euros = "€".repeat(CommandReplays.MAX_BYTES_PER_COMMAND / 3 + 1);
        publish("c-euros", output(euros));

        assertThat(replayed("c-euros")).isEmpty();
    }

    @Test
    void utf8_length_counts_each_kind_of_character() {
        assertThat(CommandReplays.utf8Length("a")).isEqualTo(1);
        assertThat(CommandReplays.utf8Length("é")).isEqualTo(2);
        assertThat(CommandReplays.utf8Length("€")).isEqualTo(3);
        assertThat(CommandReplays.utf8Length("😀")).isEqualTo(4);
        assertThat(CommandReplays.utf8Length("a€😀")).isEqualTo("a€😀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void when_full_a_finished_command_makes_room_before_a_running_one() {
        publish("c-running", output("still going"));
        clock.advance(Duration.ofMillis(10));
        publish("c-finished", Map.of("type", "command_finished", "command_id", "c-finished"));
        for (int i = 2; i < CommandReplays.MAX_COMMANDS; i++) {
            clock.advance(Duration.ofMillis(10));
            publish("c-" + i, output("."));
        }
        publish("c-new", output("new"));

        assertThat(replays.size()).isEqualTo(CommandReplays.MAX_COMMANDS);
        assertThat(replayed("c-running")).extracting(m -> m.get("data")).containsExactly("still going");
        assertThat(replayed("c-finished")).isEmpty(); // evicted, and made anew empty by this look
    }

    @Test
    void commands_past_their_time_make_room_without_evicting_a_running_one() {
        publish("c-old-finished", Map.of("type", "command_finished", "command_id", "c-old-finished"));
        clock.advance(CommandReplays.KEEP_AFTER_FINISH.plusSeconds(1));
        for (int i = 1; i < CommandReplays.MAX_COMMANDS; i++) {
            publish("c-" + i, output("."));
        }
        publish("c-new", output("new"));

        assertThat(replays.size()).isEqualTo(CommandReplays.MAX_COMMANDS);
        assertThat(replayed("c-1")).isNotEmpty();
    }
}
