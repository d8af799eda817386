package io.chatops.hub.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SeriesRollup} as bytes: the bucket starts, then each series once — its kind, its name,
 * the buckets it has a figure in, its averages and its maxima (as {@link Bytes} series, so a
 * steady figure costs next to nothing) — compressed with zstd when there is more than one bucket.
 */
final class SeriesCodec {
    private static final int VERSION = 1;

    private SeriesCodec() {
    }

    static byte[] encode(SeriesRollup rollup) {
        List<Long> starts = new ArrayList<>(rollup.buckets().keySet());
        Map<SeriesRollup.Series, List<Integer>> where = new LinkedHashMap<>();
        for (int i = 0; i < starts.size(); i++) {
            int bucket = i;
            rollup.at(starts.get(i)).keySet().forEach(series -> where.computeIfAbsent(series, k -> new ArrayList<>()).add(bucket));
        }
        Bytes.Out out = new Bytes.Out();
        out.write(VERSION);
        out.varint(starts.size());
        out.longs(starts.stream().mapToLong(Long::longValue).toArray());
        out.varint(where.size());
        where.forEach((series, buckets) -> {
            out.write(series.kind().ordinal());
            out.string(series.name());
            out.varint(buckets.size());
            out.longs(buckets.stream().mapToLong(Integer::longValue).toArray());
            out.doubles(buckets.stream().mapToDouble(b -> rollup.at(starts.get(b)).get(series).avg()).toArray());
            out.doubles(buckets.stream().mapToDouble(b -> rollup.at(starts.get(b)).get(series).max()).toArray());
        });
        return Bytes.frame(out.toByteArray(), starts.size() > 1);
    }

    static SeriesRollup decode(byte[] block) {
        Bytes.In in = new Bytes.In(Bytes.unframe(block), 0);
        int version = in.read();
        if (version != VERSION) {
            throw new IllegalStateException("a block of rolled-up series has an unknown version " + version);
        }
        long[] starts = in.longs(in.count());
        List<Map<SeriesRollup.Series, SeriesRollup.Figure>> figures = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            figures.add(new LinkedHashMap<>());
        }
        int seriesCount = in.count();
        SeriesRollup.Kind[] kinds = SeriesRollup.Kind.values();
        for (int s = 0; s < seriesCount; s++) {
            int kind = in.read();
            if (kind >= kinds.length) {
                throw new IllegalStateException("a stored block is damaged: series kind " + kind + " is unknown");
            }
            SeriesRollup.Series series = new SeriesRollup.Series(kinds[kind], in.string());
            int n = in.count();
            long[] buckets = in.longs(n);
            double[] avg = in.doubles(n);
            double[] max = in.doubles(n);
            for (int k = 0; k < n; k++) {
                if (buckets[k] < 0 || buckets[k] >= starts.length) {
                    throw new IllegalStateException("a stored block is damaged: a bucket index is out of range");
                }
                figures.get((int) buckets[k]).put(series, new SeriesRollup.Figure(avg[k], max[k]));
            }
        }
        SeriesRollup rollup = new SeriesRollup();
        for (int i = 0; i < starts.length; i++) {
            rollup.put(starts[i], figures.get(i));
        }
        return rollup;
    }
}
