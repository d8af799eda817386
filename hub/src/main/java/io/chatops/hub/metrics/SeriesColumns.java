package io.chatops.hub.metrics;

import io.chatops.hub.metrics.SeriesRollup.Figure;
import io.chatops.hub.metrics.SeriesRollup.Kind;
import io.chatops.hub.metrics.SeriesRollup.Series;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history answer as arrays aligned with its timestamps: the server-wide figures
 * ({@code cpu_percent}, {@code memory_percent}, {@code disk_percent}, {@code load_1}, network
 * rates) and the detail ({@code per_core_percent}, {@code swap_percent}, {@code disks},
 * {@code interfaces}, {@code containers}, {@code disk_io}, {@code temperatures}, {@code pressure},
 * {@code tcp}, {@code services}), with {@code _max} twins in the rollup tiers. A point
 * without a figure — a gap, or a disk not mounted then — is null.
 */
final class SeriesColumns {
    /** The server-wide figures, in the order of the answer, with their names there. */
    private static final Map<Kind, String> SUMMARY = summaryNames();
    /** The figures of a device's disk I/O, with their names in the answer. */
    private static final Map<Kind, String> DISK_IO_NAMES = Map.of(Kind.DISK_READ, "read_bytes_per_second", Kind.DISK_WRITE,
            "write_bytes_per_second", Kind.DISK_READS, "reads_per_second", Kind.DISK_WRITES, "writes_per_second", Kind.DISK_BUSY,
            "busy_percent");

    private final boolean withMax;
    private final List<String> timestamps = new ArrayList<>();
    private final List<Map<Series, Figure>> points = new ArrayList<>();

    SeriesColumns(boolean withMax) {
        this.withMax = withMax;
    }

    private static Map<Kind, String> summaryNames() {
        Map<Kind, String> names = new LinkedHashMap<>();
        names.put(Kind.CPU, "cpu_percent");
        names.put(Kind.MEMORY, "memory_percent");
        names.put(Kind.FULLEST_DISK, "disk_percent");
        names.put(Kind.LOAD_1, "load_1");
        names.put(Kind.SENT, "net_sent_bytes_per_second");
        names.put(Kind.RECEIVED, "net_recv_bytes_per_second");
        return names;
    }

    /** A point: its figures (null where none) at {@code at}. */
    void add(Instant at, Map<Series, Figure> figures) {
        timestamps.add(at.toString());
        points.add(figures);
    }

    /** A gap: a point with no figures, so that a chart breaks its lines there. */
    void gap(Instant at) {
        add(at, null);
    }

    Map<String, Object> json(String resolution) {
        // One pass over the points fills both the averages and the maxima of each series.
        Map<Series, Double[][]> columns = new HashMap<>();
        List<Series> order = new ArrayList<>();
        int size = points.size();
        for (int i = 0; i < size; i++) {
            Map<Series, Figure> point = points.get(i);
            if (point == null) {
                continue;
            }
            for (Map.Entry<Series, Figure> figure : point.entrySet()) {
                Double[][] column = columns.get(figure.getKey());
                if (column == null) {
                    column = new Double[][] {new Double[size], withMax ? new Double[size] : null};
                    columns.put(figure.getKey(), column);
                    order.add(figure.getKey());
                }
                column[0][i] = figure.getValue().avg();
                if (withMax) {
                    column[1][i] = figure.getValue().max();
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resolution", resolution);
        json.put("timestamps", timestamps);
        SUMMARY.forEach((kind, name) -> {
            Double[][] column = columns.get(new Series(kind, ""));
            json.put(name, Arrays.asList(column == null ? new Double[size] : column[0]));
            if (withMax) {
                json.put(name + "_max", Arrays.asList(column == null ? new Double[size] : column[1]));
            }
        });
        detail(json, "", order, columns, 0, size);
        if (withMax) {
            detail(json, "_max", order, columns, 1, size);
        }
        return json;
    }

    private static void detail(Map<String, Object> json, String suffix, List<Series> order, Map<Series, Double[][]> all, int which, int size) {
        List<List<Double>> cores = new ArrayList<>();
        List<Double> swap = null;
        Map<String, List<Double>> disks = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> interfaces = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> containers = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> diskIo = new LinkedHashMap<>();
        Map<String, List<Double>> temperatures = new LinkedHashMap<>();
        Map<String, List<Double>> pressure = new LinkedHashMap<>();
        Map<String, List<Double>> tcp = new LinkedHashMap<>();
        Map<String, List<Double>> services = new LinkedHashMap<>();
        for (Series series : order) {
            List<Double> values = Arrays.asList(all.get(series)[which]);
            switch (series.kind()) {
                case CORE -> {
                    int core = Integer.parseInt(series.name());
                    while (cores.size() <= core) {
                        cores.add(Arrays.asList(new Double[size]));
                    }
                    cores.set(core, values);
                }
                case SWAP -> swap = values;
                case DISK -> disks.put(series.name(), values);
                case NET_SENT, NET_RECV -> interfaces.computeIfAbsent(series.name(), k -> new LinkedHashMap<>())
                        .put(series.kind() == Kind.NET_SENT ? "sent" : "recv", values);
                case CONTAINER_CPU, CONTAINER_MEMORY -> containers.computeIfAbsent(series.name(), k -> new LinkedHashMap<>())
                        .put(series.kind() == Kind.CONTAINER_CPU ? "cpu_percent" : "memory_bytes", values);
                case DISK_READ, DISK_WRITE, DISK_READS, DISK_WRITES, DISK_BUSY ->
                        diskIo.computeIfAbsent(series.name(), k -> new LinkedHashMap<>()).put(DISK_IO_NAMES.get(series.kind()), values);
                case TEMPERATURE -> temperatures.put(series.name(), values);
                case PRESSURE -> pressure.put(series.name(), values);
                case TCP -> tcp.put(series.name(), values);
                case SERVICES -> services.put(series.name(), values);
                default -> {
                    // the server-wide figures, written above
                }
            }
        }
        json.put("per_core_percent" + suffix, cores.isEmpty() ? null : cores);
        json.put("swap_percent" + suffix, swap);
        json.put("disks" + suffix, disks);
        json.put("interfaces" + suffix, interfaces);
        json.put("containers" + suffix, containers);
        json.put("disk_io" + suffix, diskIo);
        json.put("temperatures" + suffix, temperatures);
        json.put("pressure" + suffix, pressure);
        json.put("tcp" + suffix, tcp);
        json.put("services" + suffix, services);
    }
}
