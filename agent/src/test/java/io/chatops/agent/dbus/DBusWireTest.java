package io.chatops.agent.dbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire format both ways, and replies cut short or garbled: an IOException that says so, never another exception. */
class DBusWireTest {
    /** A body as systemd's ListUnits answers: {@code a(ssssssouso)}. */
    static byte[] units(int count) {
        DBusWriter body = new DBusWriter();
        body.array(8, items -> {
            for (int i = 0; i < count; i++) {
                items.align(8);
                for (String text : List.of("unit-" + i + ".service", "Unit é " + i, "loaded", i % 3 == 0 ? "failed" : "active", "running",
                        "", "/org/freedesktop/systemd1/unit/unit_2d" + i)) {
                    items.string(text);
                }
                items.uint32(i);
                items.string("");
                items.string("/");
            }
        });
        ByteBuffer buffer = body.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static List<String> read(byte[] bytes) throws IOException {
        DBusReader reader = new DBusReader(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0, bytes.length);
        List<String> seen = new ArrayList<>();
        reader.array(8, unit -> {
            String name = unit.string();
            unit.string();
            unit.string();
            String state = unit.string();
            unit.string();
            unit.string();
            unit.string();
            long job = unit.uint32();
            unit.string();
            unit.string();
            seen.add(name + " " + state + " " + job);
        });
        return seen;
    }

    @Test
    void what_is_written_reads_back() throws IOException {
        assertThat(read(units(4))).containsExactly("unit-0.service failed 0", "unit-1.service active 1", "unit-2.service active 2",
                "unit-3.service failed 3");
        assertThat(read(units(0))).isEmpty();
    }

    @Test
    void a_reply_cut_anywhere_or_garbled_is_refused_with_a_reason() {
        byte[] whole = units(5);
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> read(cut)).as("cut to %d bytes", length).isInstanceOf(IOException.class);
        }
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbled = whole.clone();
            garbled[random.nextInt(garbled.length)] = (byte) random.nextInt(256);
            try {
                read(garbled);
            } catch (IOException expected) {
                assertThat(expected.getMessage()).startsWith("a D-Bus ");
            }
        }
    }

    @Test
    void addresses_name_the_socket_and_others_are_refused() throws IOException {
        assertThat(DBusConnection.systemBus(null)).hasToString("/run/dbus/system_bus_socket");
        assertThat(DBusConnection.systemBus("unix:path=/tmp/bus,guid=1234")).hasToString("/tmp/bus");
        assertThat(DBusConnection.systemBus("tcp:host=x;unix:path=/run/b")).hasToString("/run/b");
        assertThatThrownBy(() -> DBusConnection.systemBus("unix:abstract=/tmp/dbus-x")).hasMessageContaining("no unix:path=");
    }
}
