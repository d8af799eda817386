package io.chatops.hub.metrics;

import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
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
 * mount points, devices, interface and container names once per block. A block of several
 * samples is then compressed with zstd. Decoding gives back the very samples encoded, timestamps
 * to the millisecond. Version 3 added the parts agents report since (disk I/O, temperatures,
 * pressure, TCP) behind flags of their own; blocks of versions 1 (before container loads were
 * stored) and 2 still decode, without those parts.
 */
public final class BlockCodec {
    static final byte VERSION = 3;
    private static final byte WITHOUT_CONTAINER_LOADS = 1;
    private static final byte WITHOUT_LATER_PARTS = 2;

    private static final int HAS_CPU = 1;
    private static final int HAS_MEMORY = 2;
    private static final int HAS_UPTIME = 4;
    private static final int HAS_CONTAINERS = 8;
    private static final int HAS_ERRORS = 16;
    /** Flags of the parts of version 3, in a byte of their own. */
    private static final int HAS_DISK_IO = 1;
    private static final int HAS_TEMPERATURES = 2;
    private static final int HAS_PRESSURE = 4;
    private static final int HAS_TCP = 8;
    private static final int HAS_SERVICES = 16;
    /** Between the mount points of a device's disk I/O in its name: no path holds it. */
    private static final String MOUNTS_APART = "\0";

    private BlockCodec() {
    }

    /** {@code samples} in the order they are to come back (by sequence number). */
    public static byte[] encode(List<Sample> stored) {
        List<Metrics> samples = stored.stream().map(Sample::metrics).toList();
        Bytes.Out out = new Bytes.Out();
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
        Map<List<String>, List<ContainerLoad>> loads = named(out, stored, Sample::containers, load -> List.of(load.name()));
        for (List<ContainerLoad> series : loads.values()) {
            doubles(out, series, ContainerLoad::cpuPercent);
            longs(out, series, ContainerLoad::memoryBytes);
        }
        laterParts(out, samples);
        return Bytes.frame(out.toByteArray(), samples.size() > 1);
    }

    private static void laterParts(Bytes.Out out, List<Metrics> samples) {
        for (Metrics sample : samples) {
            out.write((sample.diskIo() != null ? HAS_DISK_IO : 0) | (sample.temperatures() != null ? HAS_TEMPERATURES : 0)
                    | (sample.pressure() != null ? HAS_PRESSURE : 0) | (sample.tcp() != null ? HAS_TCP : 0)
                    | (sample.services() != null ? HAS_SERVICES : 0));
        }
        Map<List<String>, List<DiskIo>> devices = named(out, samples, sample -> orEmpty(sample.diskIo()),
                io -> List.of(io.device(), String.join(MOUNTS_APART, io.mounts())));
        for (List<DiskIo> series : devices.values()) {
            doubles(out, series, DiskIo::readBytesPerSecond);
            doubles(out, series, DiskIo::writeBytesPerSecond);
            doubles(out, series, DiskIo::readsPerSecond);
            doubles(out, series, DiskIo::writesPerSecond);
            doubles(out, series, DiskIo::busyPercent);
        }
        Map<List<String>, List<Temperature>> sensors = named(out, samples, sample -> orEmpty(sample.temperatures()),
                t -> List.of(t.sensor()));
        for (List<Temperature> series : sensors.values()) {
            doubles(out, series, Temperature::celsius);
            optionalDoubles(out, series, Temperature::highCelsius);
            optionalDoubles(out, series, Temperature::criticalCelsius);
        }
        List<Pressure> pressures = present(samples, Metrics::pressure);
        optionalDoubles(out, pressures, Pressure::cpuSomeAvg10);
        optionalDoubles(out, pressures, Pressure::memorySomeAvg10);
        optionalDoubles(out, pressures, Pressure::memoryFullAvg10);
        optionalDoubles(out, pressures, Pressure::ioSomeAvg10);
        optionalDoubles(out, pressures, Pressure::ioFullAvg10);
        List<TcpStats> tcps = present(samples, Metrics::tcp);
        longs(out, tcps, TcpStats::established);
        longs(out, tcps, TcpStats::inUse);
        longs(out, tcps, TcpStats::timeWait);
        longs(out, tcps, TcpStats::orphans);
        optionalDoubles(out, tcps, TcpStats::activeOpensPerSecond);
        optionalDoubles(out, tcps, TcpStats::passiveOpensPerSecond);
        optionalDoubles(out, tcps, TcpStats::retransmitsPerSecond);
        List<ServiceStates> services = present(samples, Metrics::services);
        longs(out, services, ServiceStates::active);
        longs(out, services, ServiceStates::activating);
        longs(out, services, ServiceStates::deactivating);
        longs(out, services, ServiceStates::reloading);
        longs(out, services, ServiceStates::inactive);
        longs(out, services, ServiceStates::failed);
        longs(out, services, ServiceStates::other);
        for (ServiceStates states : services) {
            out.varint(states.failedUnits().size());
            states.failedUnits().forEach(out::string);
        }
    }

    /** Each sample with the parts of version 3 that it has. */
    private static void readLaterParts(Bytes.In in, List<Metrics> samples) {
        int count = samples.size();
        int[] flags = new int[count];
        for (int i = 0; i < count; i++) {
            flags[i] = in.read();
        }
        Names devices = names(in, count, 2);
        List<double[][]> io = new ArrayList<>();
        for (int d = 0; d < devices.names.size(); d++) {
            int n = devices.occurrences[d];
            io.add(new double[][] {in.doubles(n), in.doubles(n), in.doubles(n), in.doubles(n), in.doubles(n)});
        }
        Names sensors = names(in, count, 1);
        List<Double[][]> temperatures = new ArrayList<>();
        for (int t = 0; t < sensors.names.size(); t++) {
            int n = sensors.occurrences[t];
            temperatures.add(new Double[][] {boxed(in.doubles(n)), optionalDoubles(in, n), optionalDoubles(in, n)});
        }
        int pressures = countOf(flags, HAS_PRESSURE);
        Double[][] pressure = {optionalDoubles(in, pressures), optionalDoubles(in, pressures), optionalDoubles(in, pressures),
                optionalDoubles(in, pressures), optionalDoubles(in, pressures)};
        int tcps = countOf(flags, HAS_TCP);
        long[][] tcpCounts = {in.longs(tcps), in.longs(tcps), in.longs(tcps), in.longs(tcps)};
        Double[][] tcpRates = {optionalDoubles(in, tcps), optionalDoubles(in, tcps), optionalDoubles(in, tcps)};
        int serviceCount = countOf(flags, HAS_SERVICES);
        long[][] byState = new long[7][];
        for (int state = 0; state < byState.length; state++) {
            byState[state] = in.longs(serviceCount);
        }
        List<List<String>> failedUnits = new ArrayList<>(serviceCount);
        for (int i = 0; i < serviceCount; i++) {
            int n = in.count();
            List<String> units = new ArrayList<>(n);
            for (int u = 0; u < n; u++) {
                units.add(in.string());
            }
            failedUnits.add(units);
        }

        int[] deviceSeen = new int[devices.names.size()];
        int[] sensorSeen = new int[sensors.names.size()];
        int p = 0;
        int t = 0;
        int v = 0;
        for (int i = 0; i < count; i++) {
            List<DiskIo> diskIo = null;
            if ((flags[i] & HAS_DISK_IO) != 0) {
                diskIo = new ArrayList<>();
                for (int d : devices.perSample.get(i)) {
                    int k = deviceSeen[d]++;
                    List<String> name = devices.names.get(d);
                    double[][] columns = io.get(d);
                    diskIo.add(new DiskIo(name.get(0), name.get(1).isEmpty() ? List.of() : List.of(name.get(1).split(MOUNTS_APART, -1)),
                            columns[0][k], columns[1][k], columns[2][k], columns[3][k], columns[4][k]));
                }
            }
            List<Temperature> readings = null;
            if ((flags[i] & HAS_TEMPERATURES) != 0) {
                readings = new ArrayList<>();
                for (int n : sensors.perSample.get(i)) {
                    int k = sensorSeen[n]++;
                    Double[][] columns = temperatures.get(n);
                    readings.add(new Temperature(sensors.names.get(n).get(0), columns[0][k], columns[1][k], columns[2][k]));
                }
            }
            Pressure stall = null;
            if ((flags[i] & HAS_PRESSURE) != 0) {
                stall = new Pressure(pressure[0][p], pressure[1][p], pressure[2][p], pressure[3][p], pressure[4][p]);
                p++;
            }
            TcpStats tcp = null;
            if ((flags[i] & HAS_TCP) != 0) {
                tcp = new TcpStats(tcpCounts[0][t], tcpCounts[1][t], tcpCounts[2][t], tcpCounts[3][t], tcpRates[0][t], tcpRates[1][t],
                        tcpRates[2][t]);
                t++;
            }
            ServiceStates states = null;
            if ((flags[i] & HAS_SERVICES) != 0) {
                states = new ServiceStates((int) byState[0][v], (int) byState[1][v], (int) byState[2][v], (int) byState[3][v],
                        (int) byState[4][v], (int) byState[5][v], (int) byState[6][v], failedUnits.get(v));
                v++;
            }
            Metrics s = samples.get(i);
            samples.set(i, new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(),
                    s.uptimeSeconds(), s.containers(), s.errors(), diskIo, readings, stall, tcp, states));
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Values that may be missing: which are there (1) and which not (0), then those that are. */
    private static <T> void optionalDoubles(Bytes.Out out, List<T> items, Function<T, Double> value) {
        longs(out, items, item -> value.apply(item) != null ? 1 : 0);
        out.doubles(items.stream().map(value).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray());
    }

    private static Double[] optionalDoubles(Bytes.In in, int count) {
        long[] there = in.longs(count);
        double[] values = in.doubles((int) java.util.Arrays.stream(there).filter(flag -> flag == 1).count());
        Double[] all = new Double[count];
        int v = 0;
        for (int i = 0; i < count; i++) {
            all[i] = there[i] == 1 ? values[v++] : null;
        }
        return all;
    }

    private static Double[] boxed(double[] values) {
        Double[] all = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            all[i] = values[i];
        }
        return all;
    }

    static List<Sample> decode(byte[] block) {
        Bytes.In in = new Bytes.In(Bytes.unframe(block), 0);
        int version = in.read();
        if (version != VERSION && version != WITHOUT_LATER_PARTS && version != WITHOUT_CONTAINER_LOADS) {
            throw new IllegalStateException("a block of samples has an unknown version " + version);
        }
        int count = in.count();
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
        Names disks = names(in, count, 3);
        List<long[][]> diskColumns = new ArrayList<>();
        List<double[]> diskPercent = new ArrayList<>();
        for (int d = 0; d < disks.names.size(); d++) {
            int n = disks.occurrences[d];
            diskColumns.add(new long[][] {in.longs(n), in.longs(n), in.longs(n)});
            diskPercent.add(in.doubles(n));
        }
        Names nics = names(in, count, 1);
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
        List<List<ContainerLoad>> loads = version == WITHOUT_CONTAINER_LOADS ? null : containerLoads(in, count);
        if (version == VERSION) {
            readLaterParts(in, samples);
        }
        List<Sample> decoded = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            decoded.add(new Sample(samples.get(i), loads == null ? List.of() : loads.get(i)));
        }
        return decoded;
    }

    private static List<List<ContainerLoad>> containerLoads(Bytes.In in, int count) {
        Names names = names(in, count, 1);
        List<double[]> cpu = new ArrayList<>();
        List<long[]> memory = new ArrayList<>();
        for (int n = 0; n < names.names.size(); n++) {
            cpu.add(in.doubles(names.occurrences[n]));
            memory.add(in.longs(names.occurrences[n]));
        }
        int[] seen = new int[names.names.size()];
        List<List<ContainerLoad>> loads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<ContainerLoad> own = new ArrayList<>();
            for (int n : names.perSample.get(i)) {
                int k = seen[n]++;
                own.add(new ContainerLoad(names.names.get(n).get(0), cpu.get(n)[k], memory.get(n)[k]));
            }
            loads.add(own);
        }
        return loads;
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
    private static <S, T> Map<List<String>, List<T>> named(Bytes.Out out, List<S> samples, Function<S, List<T>> things,
            Function<T, List<String>> nameOf) {
        Map<List<String>, List<T>> byName = new LinkedHashMap<>();
        Map<List<String>, Integer> index = new LinkedHashMap<>();
        for (S sample : samples) {
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
        for (S sample : samples) {
            List<T> own = things.apply(sample);
            out.varint(own.size());
            for (T thing : own) {
                out.varint(index.get(nameOf.apply(thing)));
            }
        }
        return byName;
    }

    private static <T> void longs(Bytes.Out out, List<T> items, ToLongFunction<T> value) {
        out.longs(items.stream().mapToLong(value).toArray());
    }

    private static <T> void doubles(Bytes.Out out, List<T> items, ToDoubleFunction<T> value) {
        out.doubles(items.stream().mapToDouble(value).toArray());
    }

    private static Names names(Bytes.In in, int samples, int parts) {
        int distinct = in.count();
        List<List<String>> names = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            List<String> name = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                name.add(in.string());
            }
            names.add(name);
        }
        int[] occurrences = new int[distinct];
        List<int[]> perSample = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            int[] own = new int[in.count()];
            for (int k = 0; k < own.length; k++) {
                own[k] = Math.toIntExact(in.varint());
                if (own[k] >= distinct) {
                    throw new IllegalStateException("a stored block is damaged: a name index is out of range");
                }
                occurrences[own[k]]++;
            }
            perSample.add(own);
        }
        return new Names(names, perSample, occurrences);
    }

    private record Names(List<List<String>> names, List<int[]> perSample, int[] occurrences) {
    }
}
