package io.chatops.agent.metrics;

import io.chatops.protocol.Temperature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Temperatures from the kernel's hardware monitors ({@code /sys/class/hwmon}: chips such as
 * coretemp, k10temp, nvme, drivetemp) and thermal zones ({@code /sys/class/thermal}: ACPI and SoC
 * zones), in degrees Celsius with the high and critical marks the hardware gives. Sensors are
 * looked up on start and again every hour (a driver loaded later; looking costs more than a day of
 * readings while the code that does it is new to the JVM); a host without any (most virtual machines)
 * reports none, which is not an error. A sensor that cannot be read this time (some answer with an
 * error while their device sleeps) is left out of that sample; only when none can be read is it
 * this collector's error. At most {@link #MAX_SENSORS} are reported.
 */
final class TemperatureCollector implements Collector {
    static final long RESCAN_NANOS = 3_600_000_000_000L;
    /** More sensors than a sample should carry (a host with hundreds is not watched by its every sensor): the first ones. */
    static final int MAX_SENSORS = 64;

    private final ProcFs fs;
    private final LongSupplier nanoTime;
    private List<Sensor> sensors = List.of();
    private long scannedAt;

    /** A sensor's current reading, in thousandths of a degree, with its marks (read once: they do not change). */
    private record Sensor(String name, ProcFile input, Double highCelsius, Double criticalCelsius) {
    }

    TemperatureCollector(ProcFs fs, LongSupplier nanoTime) {
        this.fs = fs;
        this.nanoTime = nanoTime;
        scan();
    }

    @Override
    public String name() {
        return "temperature";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        if (nanoTime.getAsLong() - scannedAt >= RESCAN_NANOS) {
            scan();
        }
        List<Temperature> readings = new ArrayList<>(sensors.size());
        Exception failure = null;
        for (Sensor sensor : sensors) {
            try {
                readings.add(new Temperature(sensor.name(), sensor.input().read().nextSignedLong() / 1000.0, sensor.highCelsius(),
                        sensor.criticalCelsius()));
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (readings.isEmpty() && failure != null) {
            throw new IOException("no temperature sensor could be read: " + failure.getMessage(), failure);
        }
        sample.temperatures = readings.isEmpty() ? null : readings;
    }

    private void scan() {
        sensors.forEach(sensor -> sensor.input().close());
        List<Sensor> found = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path chip : numbered(fs.resolve("sys/class/hwmon"), "hwmon", "")) {
            String chipName = firstLine(chip.resolve("name"));
            for (Path input : numbered(chip, "temp", "_input")) {
                String file = input.getFileName().toString();
                String sensor = file.substring(0, file.length() - "_input".length());
                String label = firstLine(chip.resolve(sensor + "_label"));
                String name = (chipName != null ? chipName : chip.getFileName().toString()) + " " + (label != null ? label : sensor);
                found.add(new Sensor(unique(name, chip, names), new ProcFile(input), millidegrees(chip.resolve(sensor + "_max")),
                        millidegrees(chip.resolve(sensor + "_crit"))));
            }
        }
        for (Path zone : numbered(fs.resolve("sys/class/thermal"), "thermal_zone", "")) {
            String type = firstLine(zone.resolve("type"));
            Double hot = trip(zone, "hot");
            found.add(new Sensor(unique(type != null ? type : zone.getFileName().toString(), zone, names), new ProcFile(zone.resolve("temp")),
                    hot != null ? hot : trip(zone, "passive"), trip(zone, "critical")));
        }
        if (found.size() > MAX_SENSORS) {
            found.subList(MAX_SENSORS, found.size()).forEach(sensor -> sensor.input().close());
            found = new ArrayList<>(found.subList(0, MAX_SENSORS));
        }
        sensors = found;
        scannedAt = nanoTime.getAsLong();
    }

    /** Two chips of one kind (two NVMe drives) have the same sensor names: the later ones get their folder's name. */
    private static String unique(String name, Path folder, Set<String> taken) {
        String chosen = taken.contains(name) ? name + " (" + folder.getFileName() + ")" : name;
        taken.add(chosen);
        return chosen;
    }

    /** The first trip point of a thermal zone of the given type ({@code critical}, {@code hot}, {@code passive}). */
    private static Double trip(Path zone, String type) {
        for (int i = 0; i < 32; i++) {
            String tripType = firstLine(zone.resolve("trip_point_" + i + "_type"));
            if (tripType == null) {
                return null;
            }
            if (tripType.equals(type)) {
                return millidegrees(zone.resolve("trip_point_" + i + "_temp"));
            }
        }
        return null;
    }

    /** The entries of {@code folder} named {@code prefix}, a number, {@code suffix}; by that number (hwmon2 before hwmon10). */
    private static Iterable<Path> numbered(Path folder, String prefix, String suffix) {
        TreeMap<Integer, Path> byNumber = new TreeMap<>();
        // No glob: matching one compiles a regular expression, and loading and compiling that engine every
        // five minutes cost more than all the readings in between.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
                    continue;
                }
                int end = name.length() - suffix.length();
                boolean digits = end > prefix.length() && end - prefix.length() < 9;
                for (int i = prefix.length(); i < end && digits; i++) {
                    digits = Character.isDigit(name.charAt(i));
                }
                if (digits) {
                    byNumber.put(Integer.parseInt(name, prefix.length(), end, 10), entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // no such folder: no sensors of that kind
        }
        return byNumber.values();
    }

    private static String firstLine(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = 0;
            while (end < bytes.length && end < 256 && bytes[end] != '\n') {
                end++;
            }
            String line = new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
            return line.isEmpty() ? null : line;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A mark in thousandths of a degree, as a sane temperature in degrees, or null. */
    private static Double millidegrees(Path file) {
        String text = firstLine(file);
        if (text == null) {
            return null;
        }
        try {
            double celsius = Long.parseLong(text) / 1000.0;
            return celsius > -273.15 && celsius < 10_000 ? celsius : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
