package io.chatops.hub.metrics;

import com.github.luben.zstd.Zstd;
import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Samples as columns: a block of one server's samples (an hour of them, or one still waiting for
 * its hour to close) written series by series, so that each series' neighbouring values sit side
 * by side and encode as small differences. Sequence numbers and timestamps are deltas (timestamps
 * deltas of deltas: a steady cadence costs nothing); every counter and gauge is a delta or a delta
 * of deltas, whichever is smaller for that series in that block; percentages and load averages,
 * which agents send with two decimals, as hundredths (any other double keeps its exact bits);
 * mount points, devices and interface names once per block. A block of several samples is then
 * compressed with zstd. Decoding gives back the very samples encoded, timestamps to the
 * millisecond.
 */
public final class BlockCodec {
    static final byte VERSION = 1;
    private static final byte PLAIN = 'P';
    private static final byte ZSTD = 'Z';
    private static final int ZSTD_LEVEL = 9;

    private static final int HAS_CPU = 1;
    private static final int HAS_MEMORY = 2;
    private static final int HAS_UPTIME = 4;
    private static final int HAS_CONTAINERS = 8;
    private static final int HAS_ERRORS = 16;

    private static final int LONG_DELTA = 0;
    private static final int LONG_DELTA_OF_DELTA = 1;
    private static final int DOUBLE_HUNDREDTHS = 2;
    private static final int DOUBLE_BITS = 3;

    private BlockCodec() {
    }

    /** {@code samples} in the order they are to come back (by sequence number). */
    public static byte[] encode(List<Metrics> samples) {
        Out out = new Out();
        out.write(VERSION);
        out.varint(samples.size());
        longs(out, samples, Metrics::seq);
        longs(out, samples, sample -> sample.timestamp().toEpochMilli());
        longs(out, samples, Metrics::intervalSeconds);
        for (Metrics sample : samples) {
            out.write(flags(sample));
        }
        List<CpuUsage> cpus = present(samples, Metrics::cpu);
        doubles(out, cpus, CpuUsage::usagePercent);
        doubles(out, cpus, CpuUsage::load1);
        doubles(out, cpus, CpuUsage::load5);
        doubles(out, cpus, CpuUsage::load15);
        longs(out, cpus, cpu -> cpu.perCorePercent().size());
        int cores = cpus.stream().mapToInt(cpu -> cpu.perCorePercent().size()).max().orElse(0);
        for (int core = 0; core < cores; core++) {
            int index = core;
            doubles(out, cpus.stream().filter(cpu -> cpu.perCorePercent().size() > index).toList(), cpu -> cpu.perCorePercent().get(index));
        }
        List<MemoryUsage> memories = present(samples, Metrics::memory);
        longs(out, memories, MemoryUsage::totalBytes);
        longs(out, memories, MemoryUsage::usedBytes);
        longs(out, memories, MemoryUsage::availableBytes);
        doubles(out, memories, MemoryUsage::usagePercent);
        longs(out, memories, MemoryUsage::swapTotalBytes);
        longs(out, memories, MemoryUsage::swapUsedBytes);
        Map<List<String>, List<DiskUsage>> disks = named(out, samples, Metrics::disks,
                disk -> List.of(disk.mount(), disk.device(), disk.fsType()));
        for (List<DiskUsage> series : disks.values()) {
            longs(out, series, DiskUsage::totalBytes);
            longs(out, series, DiskUsage::usedBytes);
            longs(out, series, DiskUsage::freeBytes);
            doubles(out, series, DiskUsage::usagePercent);
        }
        Map<List<String>, List<InterfaceCounters>> interfaces = named(out, samples, Metrics::network, nic -> List.of(nic.name()));
        for (List<InterfaceCounters> series : interfaces.values()) {
            longs(out, series, InterfaceCounters::bytesSent);
            longs(out, series, InterfaceCounters::bytesRecv);
            longs(out, series, InterfaceCounters::packetsSent);
            longs(out, series, InterfaceCounters::packetsRecv);
            longs(out, series, InterfaceCounters::errorsIn);
            longs(out, series, InterfaceCounters::errorsOut);
        }
        longs(out, present(samples, Metrics::uptimeSeconds), Long::longValue);
        List<ContainerCounts> containers = present(samples, Metrics::containers);
        longs(out, containers, ContainerCounts::running);
        longs(out, containers, ContainerCounts::stopped);
        for (List<CollectorError> errors : present(samples, Metrics::errors)) {
            out.varint(errors.size());
            for (CollectorError error : errors) {
                out.string(error.collector());
                out.string(error.message());
            }
        }
        byte[] plain = out.toByteArray();
        if (samples.size() < 2) {
            return prefixed(PLAIN, plain);
        }
        return prefixed(ZSTD, Zstd.compress(plain, ZSTD_LEVEL), plain.length);
    }

    static List<Metrics> decode(byte[] block) {
        byte[] plain = switch (block[0]) {
            case PLAIN -> java.util.Arrays.copyOfRange(block, 1, block.length);
            case ZSTD -> {
                In sizes = new In(block, 1);
                int size = Math.toIntExact(sizes.varint());
                yield Zstd.decompress(java.util.Arrays.copyOfRange(block, sizes.position, block.length), size);
            }
            default -> throw new IllegalStateException("a block of samples is damaged: it starts with " + block[0]);
        };
        In in = new In(plain, 0);
        if (in.read() != VERSION) {
            throw new IllegalStateException("a block of samples has an unknown version");
        }
        int count = Math.toIntExact(in.varint());
        long[] seqs = in.longs(count);
        long[] times = in.longs(count);
        long[] intervals = in.longs(count);
        int[] flags = new int[count];
        for (int i = 0; i < count; i++) {
            flags[i] = in.read();
        }
        int cpus = countOf(flags, HAS_CPU);
        double[] usage = in.doubles(cpus);
        double[] load1 = in.doubles(cpus);
        double[] load5 = in.doubles(cpus);
        double[] load15 = in.doubles(cpus);
        long[] coreCounts = in.longs(cpus);
        int cores = (int) java.util.Arrays.stream(coreCounts).max().orElse(0);
        List<double[]> perCore = new ArrayList<>();
        for (int core = 0; core < cores; core++) {
            int index = core;
            perCore.add(in.doubles((int) java.util.Arrays.stream(coreCounts).filter(n -> n > index).count()));
        }
        int memories = countOf(flags, HAS_MEMORY);
        long[] total = in.longs(memories);
        long[] used = in.longs(memories);
        long[] available = in.longs(memories);
        double[] memoryPercent = in.doubles(memories);
        long[] swapTotal = in.longs(memories);
        long[] swapUsed = in.longs(memories);
        Names disks = in.names(count, 3);
        List<long[][]> diskColumns = new ArrayList<>();
        List<double[]> diskPercent = new ArrayList<>();
        for (int d = 0; d < disks.names.size(); d++) {
            int n = disks.occurrences[d];
            diskColumns.add(new long[][] {in.longs(n), in.longs(n), in.longs(n)});
            diskPercent.add(in.doubles(n));
        }
        Names nics = in.names(count, 1);
        List<long[][]> nicColumns = new ArrayList<>();
        for (int d = 0; d < nics.names.size(); d++) {
            int n = nics.occurrences[d];
            nicColumns.add(new long[][] {in.longs(n), in.longs(n), in.longs(n), in.longs(n), in.longs(n), in.longs(n)});
        }
        long[] uptimes = in.longs(countOf(flags, HAS_UPTIME));
        int containerCount = countOf(flags, HAS_CONTAINERS);
        long[] running = in.longs(containerCount);
        long[] stopped = in.longs(containerCount);

        List<Metrics> samples = new ArrayList<>(count);
        int cpu = 0;
        int memory = 0;
        int uptime = 0;
        int container = 0;
        int[] coreSeen = new int[cores];
        int[] diskSeen = new int[disks.names.size()];
        int[] nicSeen = new int[nics.names.size()];
        for (int i = 0; i < count; i++) {
            CpuUsage cpuUsage = null;
            if ((flags[i] & HAS_CPU) != 0) {
                List<Double> coreValues = new ArrayList<>();
                for (int core = 0; core < coreCounts[cpu]; core++) {
                    coreValues.add(perCore.get(core)[coreSeen[core]++]);
                }
                cpuUsage = new CpuUsage(usage[cpu], coreValues, load1[cpu], load5[cpu], load15[cpu]);
                cpu++;
            }
            MemoryUsage memoryUsage = null;
            if ((flags[i] & HAS_MEMORY) != 0) {
                memoryUsage = new MemoryUsage(total[memory], used[memory], available[memory], memoryPercent[memory], swapTotal[memory],
                        swapUsed[memory]);
                memory++;
            }
            List<DiskUsage> diskUsages = new ArrayList<>();
            for (int d : disks.perSample.get(i)) {
                int k = diskSeen[d]++;
                List<String> name = disks.names.get(d);
                long[][] columns = diskColumns.get(d);
                diskUsages.add(new DiskUsage(name.get(0), name.get(1), name.get(2), columns[0][k], columns[1][k],
                        columns[2][k], diskPercent.get(d)[k]));
            }
            List<InterfaceCounters> counters = new ArrayList<>();
            for (int d : nics.perSample.get(i)) {
                int k = nicSeen[d]++;
                long[][] columns = nicColumns.get(d);
                counters.add(new InterfaceCounters(nics.names.get(d).get(0), columns[0][k], columns[1][k], columns[2][k], columns[3][k],
                        columns[4][k], columns[5][k]));
            }
            Long uptimeSeconds = (flags[i] & HAS_UPTIME) != 0 ? uptimes[uptime++] : null;
            ContainerCounts counts = null;
            if ((flags[i] & HAS_CONTAINERS) != 0) {
                counts = new ContainerCounts((int) running[container], (int) stopped[container]);
                container++;
            }
            samples.add(new Metrics(seqs[i], Instant.ofEpochMilli(times[i]), (int) intervals[i], cpuUsage, memoryUsage, diskUsages, counters,
                    uptimeSeconds, counts, null));
        }
        for (int i = 0; i < count; i++) {
            if ((flags[i] & HAS_ERRORS) != 0) {
                List<CollectorError> errors = new ArrayList<>();
                long n = in.varint();
                for (long e = 0; e < n; e++) {
                    errors.add(new CollectorError(in.string(), in.string()));
                }
                Metrics s = samples.get(i);
                samples.set(i, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(),
                        s.uptimeSeconds(), s.containers(), errors));
            }
        }
        return samples;
    }

    private static int flags(Metrics sample) {
        return (sample.cpu() != null ? HAS_CPU : 0) | (sample.memory() != null ? HAS_MEMORY : 0)
                | (sample.uptimeSeconds() != null ? HAS_UPTIME : 0) | (sample.containers() != null ? HAS_CONTAINERS : 0)
                | (sample.errors() != null ? HAS_ERRORS : 0);
    }

    private static int countOf(int[] flags, int flag) {
        int n = 0;
        for (int f : flags) {
            n += (f & flag) != 0 ? 1 : 0;
        }
        return n;
    }

    private static <T> List<T> present(List<Metrics> samples, Function<Metrics, T> part) {
        return samples.stream().map(part).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The named things of each sample (disks, interfaces): the distinct names once, then for each
     * sample the indexes of its own, in its order; returns each name's values in sample order.
     */
    private static <T> Map<List<String>, List<T>> named(Out out, List<Metrics> samples, Function<Metrics, List<T>> things,
            Function<T, List<String>> nameOf) {
        Map<List<String>, List<T>> byName = new LinkedHashMap<>();
        Map<List<String>, Integer> index = new LinkedHashMap<>();
        for (Metrics sample : samples) {
            for (T thing : things.apply(sample)) {
                List<String> name = nameOf.apply(thing);
                index.putIfAbsent(name, index.size());
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(thing);
            }
        }
        out.varint(index.size());
        for (List<String> name : index.keySet()) {
            name.forEach(out::string);
        }
        for (Metrics sample : samples) {
            List<T> own = things.apply(sample);
            out.varint(own.size());
            for (T thing : own) {
                out.varint(index.get(nameOf.apply(thing)));
            }
        }
        return byName;
    }

    /** A series of whole numbers: as deltas or as deltas of deltas, whichever is shorter. */
    private static <T> void longs(Out out, List<T> items, ToLongFunction<T> value) {
        long[] values = items.stream().mapToLong(value).toArray();
        Out delta = new Out();
        Out deltaOfDelta = new Out();
        long previous = 0;
        long previousDelta = 0;
        for (long v : values) {
            long d = v - previous;
            delta.zigzag(d);
            deltaOfDelta.zigzag(d - previousDelta);
            previous = v;
            previousDelta = d;
        }
        boolean dod = deltaOfDelta.size() < delta.size();
        out.write(dod ? LONG_DELTA_OF_DELTA : LONG_DELTA);
        out.append(dod ? deltaOfDelta : delta);
    }

    /** A series of doubles: as hundredths when every value is one (what agents send), else their exact bits. */
    private static <T> void doubles(Out out, List<T> items, ToDoubleFunction<T> value) {
        double[] values = items.stream().mapToDouble(value).toArray();
        boolean hundredths = true;
        for (double v : values) {
            hundredths &= Math.abs(v) < 1e15 && Math.round(v * 100) / 100.0 == v;
        }
        if (hundredths) {
            out.write(DOUBLE_HUNDREDTHS);
            long previous = 0;
            for (double v : values) {
                long scaled = Math.round(v * 100);
                out.zigzag(scaled - previous);
                previous = scaled;
            }
        } else {
            out.write(DOUBLE_BITS);
            long previous = 0;
            for (double v : values) {
                long bits = Double.doubleToRawLongBits(v);
                out.varint(bits ^ previous); // neighbours share sign, exponent and leading digits: few bits differ
                previous = bits;
            }
        }
    }

    private static byte[] prefixed(byte kind, byte[] body) {
        byte[] block = new byte[body.length + 1];
        block[0] = kind;
        System.arraycopy(body, 0, block, 1, body.length);
        return block;
    }

    private static byte[] prefixed(byte kind, byte[] body, int plainSize) {
        Out out = new Out();
        out.write(kind);
        out.varint(plainSize);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /** Bytes out: unsigned varints (7 bits a byte), zigzag for signed ones, strings as length and UTF-8. */
    private static final class Out extends ByteArrayOutputStream {
        void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            write((int) value);
        }

        void zigzag(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void string(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            write(bytes, 0, bytes.length);
        }

        void append(Out other) {
            write(other.buf, 0, other.count);
        }
    }

    /** Bytes in, the other way round. */
    private static final class In {
        private final byte[] bytes;
        private int position;

        In(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        int read() {
            if (position >= bytes.length) {
                throw new IllegalStateException("a block of samples is damaged: it ends too soon");
            }
            return bytes[position++] & 0xFF;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("a block of samples is damaged: a number is too long");
        }

        long zigzag() {
            long raw = varint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        String string() {
            int length = Math.toIntExact(varint());
            if (length > bytes.length - position) {
                throw new IllegalStateException("a block of samples is damaged: a name runs past its end");
            }
            String text = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        long[] longs(int count) {
            int mode = read();
            long[] values = new long[count];
            long previous = 0;
            long previousDelta = 0;
            for (int i = 0; i < count; i++) {
                long d = mode == LONG_DELTA_OF_DELTA ? previousDelta + zigzag() : zigzag();
                values[i] = previous + d;
                previous = values[i];
                previousDelta = d;
            }
            return values;
        }

        double[] doubles(int count) {
            int mode = read();
            double[] values = new double[count];
            long previous = 0;
            for (int i = 0; i < count; i++) {
                if (mode == DOUBLE_HUNDREDTHS) {
                    previous += zigzag();
                    values[i] = previous / 100.0;
                } else {
                    previous ^= varint();
                    values[i] = Double.longBitsToDouble(previous);
                }
            }
            return values;
        }

        Names names(int samples, int parts) {
            int distinct = Math.toIntExact(varint());
            List<List<String>> names = new ArrayList<>();
            for (int i = 0; i < distinct; i++) {
                List<String> name = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    name.add(string());
                }
                names.add(name);
            }
            int[] occurrences = new int[distinct];
            List<int[]> perSample = new ArrayList<>();
            for (int s = 0; s < samples; s++) {
                int[] own = new int[Math.toIntExact(varint())];
                for (int k = 0; k < own.length; k++) {
                    own[k] = Math.toIntExact(varint());
                    if (own[k] >= distinct) {
                        throw new IllegalStateException("a block of samples is damaged: a name index is out of range");
                    }
                    occurrences[own[k]]++;
                }
                perSample.add(own);
            }
            return new Names(names, perSample, occurrences);
        }
    }

    private record Names(List<List<String>> names, List<int[]> perSample, int[] occurrences) {
    }
}
