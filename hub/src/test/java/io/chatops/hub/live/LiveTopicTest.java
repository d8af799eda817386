package io.chatops.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveTopicTest {
    @ParameterizedTest
    @ValueSource(strings = {"servers", "alerts", "server:9f1c-2b3a:metrics", "server:9f1c:containers", "command:c-7b1e4d2a"})
    void every_topic_of_the_api_reads_back_as_itself(String name) {
        assertThat(LiveTopic.parse(name)).hasValueSatisfying(topic -> assertThat(topic.wireName()).isEqualTo(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "server", "servers:x", "alerts:x", "server:abc", "server:abc:logs", "server::metrics", "command:",
        "command:a:b", "command:a b", "server:../x:metrics", "command:ünicode"})
    void anything_else_is_not_a_topic(String name) {
        assertThat(LiveTopic.parse(name)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void ids_longer_than_ours_are_refused() {
        assertThat(LiveTopic.parse("command:" + "a".repeat(LiveTopic.MAX_ID_CHARS + 1))).isEmpty();
        assertThat(LiveTopic.parse("command:" + "a".repeat(LiveTopic.MAX_ID_CHARS))).isPresent();
    }
}
