package io.chatops.hub.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The aligned arrays of a history answer; a gap is a timestamp whose values are all null. */
final class Columns {
    private final boolean withMax;
    private final List<String> timestamps = new ArrayList<>();
    private final List<Instant> instants = new ArrayList<>();
    private final List<List<Double>> values = new ArrayList<>();
    private final List<List<Double>> maxima = new ArrayList<>();
    private static final String[] NAMES = {"cpu_percent", "memory_percent", "disk_percent", "load_1",
            "net_sent_bytes_per_second", "net_recv_bytes_per_second"};

    Columns(boolean withMax) {
        this.withMax = withMax;
        for (int i = 0; i < NAMES.length; i++) {
            values.add(new ArrayList<>());
            maxima.add(new ArrayList<>());
        }
    }

    void add(Instant at, Double... figures) {
        timestamps.add(at.toString());
        instants.add(at);
        for (int i = 0; i < NAMES.length; i++) {
            values.get(i).add(figures[i]);
        }
    }

    void addMax(Double... figures) {
        for (int i = 0; i < NAMES.length; i++) {
            maxima.get(i).add(figures[i]);
        }
    }

    void gap(Instant at) {
        add(at, new Double[NAMES.length]);
        if (withMax) {
            addMax(new Double[NAMES.length]);
        }
    }

    int size() {
        return timestamps.size();
    }

    Instant last() {
        return instants.get(instants.size() - 1);
    }

    Map<String, Object> json(String resolution) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resolution", resolution);
        json.put("timestamps", timestamps);
        for (int i = 0; i < NAMES.length; i++) {
            json.put(NAMES[i], values.get(i));
            if (withMax) {
                json.put(NAMES[i] + "_max", maxima.get(i));
            }
        }
        return json;
    }
}
