package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatLineTest {
    @Test
    void words_flags_quotes_and_the_shell_command_after_the_first_standalone_double_dash() {
        ChatLine line = ChatLine.parse("  RUN tag:prod --timeout=30 -- grep -- \"a  b\" /var/log/x | tail -n 2 ");

        assertThat(line.verb()).isEqualTo("run");
        assertThat(line.words()).containsExactly("tag:prod");
        assertThat(line.flags()).isEqualTo(Map.of("timeout", "30"));
        assertThat(line.shell()).isEqualTo("grep -- \"a  b\" /var/log/x | tail -n 2");
    }

    @Test
    void quotes_keep_blanks_inside_one_word_and_a_flag_alone_is_true() {
        ChatLine line = ChatLine.parse("silence web-01 2h \"disk swap, planned\" --quiet");

        assertThat(line.words()).containsExactly("web-01", "2h", "disk swap, planned");
        assertThat(line.flags()).isEqualTo(Map.of("quiet", "true"));
        assertThat(line.shell()).isNull();
    }

    @Test
    void an_empty_line_has_no_verb_and_an_open_quote_is_an_error() {
        assertThat(ChatLine.parse("   ").verb()).isEmpty();
        assertThat(ChatLine.parse("status").words()).isEqualTo(List.of());
        assertThatThrownBy(() -> ChatLine.parse("deny a-x \"no way")).hasMessage("a quote (\") is not closed");
        assertThatThrownBy(() -> ChatLine.parse("x".repeat(ChatLine.MAX_CHARS + 1))).hasMessageContaining("commands are at most");
    }

    @Test
    void a_double_dash_inside_a_word_is_not_the_separator() {
        ChatLine line = ChatLine.parse("run web-01 --dry-run -- echo ok");

        assertThat(line.flags()).containsEntry("dry-run", "true");
        assertThat(line.shell()).isEqualTo("echo ok");
    }
}
