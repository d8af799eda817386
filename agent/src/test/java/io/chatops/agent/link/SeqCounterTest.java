package io.chatops.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqCounterTest {
    @TempDir
    Path dir;

    @Test
    void starts_at_one_on_a_fresh_install() throws Exception {
        assertThat(SeqCounter.open(dir.resolve("new")).next()).isEqualTo(1);
    }

    @Test
    void never_repeats_a_number_after_a_restart_or_a_crash() throws Exception {
        SeqCounter first = SeqCounter.open(dir);
        long last = 0;
        for (int i = 0; i < 1500; i++) {
            last = first.next();
        }
        // A crash: the counter object is simply dropped, nothing is flushed.
        SeqCounter second = SeqCounter.open(dir);

        assertThat(second.next()).isGreaterThan(last);
        assertThat(Files.readString(dir.resolve("seq")).trim()).isEqualTo(String.valueOf(2000 + SeqCounter.BLOCK));
    }

    @Test
    void writes_the_disk_once_per_block() throws Exception {
        SeqCounter counter = SeqCounter.open(dir);
        counter.next();
        // The reservation is 1000 already; a rewrite within the block would hold a larger number.
        Files.writeString(dir.resolve("seq"), "1000\n");

        for (int i = 1; i < SeqCounter.BLOCK; i++) {
            counter.next();
        }

        assertThat(Files.readString(dir.resolve("seq"))).isEqualTo("1000\n");
        counter.next();
        assertThat(Files.readString(dir.resolve("seq"))).isEqualTo("2000\n");
    }

    @Test
    void continues_after_a_number_the_hub_has_seen() throws Exception {
        SeqCounter counter = SeqCounter.open(dir);
        counter.skipPast(5000);

        assertThat(counter.next()).isEqualTo(5001);
        assertThat(SeqCounter.open(dir).next()).isGreaterThan(5001);
    }

    @Test
    void a_damaged_file_is_reported_not_silently_reset() throws Exception {
        Files.writeString(dir.resolve("seq"), "banana");

        assertThatThrownBy(() -> SeqCounter.open(dir)).hasMessageContaining("does not hold a sequence number");
    }
}
