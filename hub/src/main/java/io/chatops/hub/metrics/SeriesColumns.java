package io.chatops.hub.metrics;

import io.chatops.hub.metrics.SeriesRollup.Figure;
import io.chatops.hub.metrics.SeriesRollup.Kind;
import io.chatops.hub.metrics.SeriesRollup.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detailed series of a history answer as arrays aligned with its timestamps:
 * {@code per_core_percent}, {@code swap_percent}, {@code disks}, {@code interfaces} and
 * {@code containers} (with {@code _max} twins in the rollup tiers). A point without a figure —
 * a gap, or a disk not mounted then — is null.
 */
final class SeriesColumns {
    private SeriesColumns() {
    }

    /** {@code points} has one entry per timestamp: the figures at it, or null. */
    static void put(Map<String, Object> json, List<Map<Series, Figure>> points, boolean withMax) {
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
        put(json, "", order, columns, 0, size);
        if (withMax) {
            put(json, "_max", order, columns, 1, size);
        }
    }

    private static void put(Map<String, Object> json, String suffix, List<Series> order, Map<Series, Double[][]> all, int which, int size) {
        List<List<Double>> cores = new ArrayList<>();
        List<Double> swap = null;
        Map<String, List<Double>> disks = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> interfaces = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> containers = new LinkedHashMap<>();
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
            }
        }
        json.put("per_core_percent" + suffix, cores.isEmpty() ? null : cores);
        json.put("swap_percent" + suffix, swap);
        json.put("disks" + suffix, disks);
        json.put("interfaces" + suffix, interfaces);
        json.put("containers" + suffix, containers);
    }
}
