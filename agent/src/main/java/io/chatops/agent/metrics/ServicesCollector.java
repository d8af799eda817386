package io.chatops.agent.metrics;

import io.chatops.agent.dbus.DBusConnection;
import io.chatops.agent.dbus.DBusReader;
import io.chatops.agent.dbus.DBusWriter;
import io.chatops.protocol.ServiceStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The host's systemd services by state, with the failed ones named, asked of systemd over D-Bus
 * ({@code ListUnitsByPatterns} on the system bus, one round trip on a connection kept open) at most
 * every 30 s, and only where systemd runs ({@code /run/systemd/system} exists, as sd_booted checks).
 * D-Bus rather than {@code systemctl --output=json}: starting a process every 30 s costs more of the
 * host's CPU than all the other collectors together (docs/agent.md has the figures). Each sample
 * carries the latest answer; while asking fails, each sample names the failure and the connection is
 * opened anew at the next attempt.
 */
final class ServicesCollector implements Collector {
    static final long EVERY_NANOS = 30_000_000_000L;
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final boolean present;
    private final Path bus;
    private final LongSupplier nanoTime;
    private DBusConnection connection;
    private ServiceStates latest;
    private String failure;
    private long askedAt;
    private boolean asked;

    /** @param enabled false with {@code -disable-services} */
    ServicesCollector(ProcFs fs, Path bus, boolean enabled, LongSupplier nanoTime) {
        this.present = enabled && Files.isDirectory(fs.resolve("run/systemd/system"));
        this.bus = bus;
        this.nanoTime = nanoTime;
    }

    @Override
    public String name() {
        return "services";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        if (!present) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!asked || now - askedAt >= EVERY_NANOS) {
            asked = true;
            askedAt = now;
            try {
                latest = ask();
                failure = null;
            } catch (IOException | RuntimeException e) {
                latest = null;
                failure = "cannot ask systemd for its services: " + e.getMessage();
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
            }
        }
        if (failure != null) {
            throw new IOException(failure);
        }
        sample.services = latest;
    }

    private ServiceStates ask() throws IOException {
        if (connection == null) {
            connection = DBusConnection.open(bus, TIMEOUT);
        }
        DBusWriter patterns = new DBusWriter();
        patterns.strings(List.of()); // every state
        patterns.strings(List.of("*.service"));
        DBusReader units = connection.call("org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                "ListUnitsByPatterns", "asas", patterns);
        return count(units);
    }

    /** Counts the units of a reply of signature {@code a(ssssssouso)}: name, description, load, active and sub state, … */
    static ServiceStates count(DBusReader units) throws IOException {
        int[] byState = new int[7];
        List<String> failed = new ArrayList<>();
        units.array(8, unit -> {
            String name = unit.string();
            unit.string(); // description
            String load = unit.string();
            String active = unit.string();
            unit.string(); // sub state
            unit.string(); // following
            unit.string(); // object path
            unit.uint32(); // job id
            unit.string(); // job type
            unit.string(); // job path
            if (load.equals("not-found")) {
                return; // named by another unit, but no such service exists
            }
            int state = switch (active) {
                case "active" -> 0;
                case "activating" -> 1;
                case "deactivating" -> 2;
                case "reloading" -> 3;
                case "inactive" -> 4;
                case "failed" -> 5;
                default -> 6;
            };
            byState[state]++;
            if (state == 5 && failed.size() < ServiceStates.MAX_NAMED && name.length() <= 256 && !name.isBlank()) {
                failed.add(name);
            }
        });
        return new ServiceStates(byState[0], byState[1], byState[2], byState[3], byState[4], byState[5], byState[6], failed);
    }
}
