package io.chatops.agent.metrics;

import io.chatops.protocol.Pressure;
import java.io.IOException;

/**
 * Pressure stall information from /proc/pressure/{cpu,memory,io}: the share of the last 10 s in
 * which some task (or, for "full", every task) waited for that resource. Kernels before 4.20, and
 * those booted with {@code psi=0} (where the files exist but cannot be read), have none: then the
 * collector is quiet from the start rather than reporting an error every sample.
 */
final class PressureCollector implements Collector {
    private final ProcFile cpu;
    private final ProcFile memory;
    private final ProcFile io;
    private final boolean available;
    private final double[] someAndFull = new double[2];

    PressureCollector(ProcFs fs) {
        cpu = new ProcFile(fs.resolve("proc/pressure/cpu"));
        memory = new ProcFile(fs.resolve("proc/pressure/memory"));
        io = new ProcFile(fs.resolve("proc/pressure/io"));
        boolean readable;
        try {
            cpu.read();
            readable = true;
        } catch (IOException e) {
            readable = false;
        }
        available = readable;
    }

    @Override
    public String name() {
        return "pressure";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        if (!available) {
            return;
        }
        boolean cpuFull = parse(cpu.read(), someAndFull);
        double cpuSome = someAndFull[0];
        boolean memoryFull = parse(memory.read(), someAndFull);
        double memorySome = someAndFull[0];
        Double memoryFullShare = memoryFull ? someAndFull[1] : null;
        boolean ioFull = parse(io.read(), someAndFull);
        sample.pressure = new Pressure(cpuSome, memorySome, memoryFullShare, someAndFull[0], ioFull ? someAndFull[1] : null);
    }

    /**
     * Reads {@code some avg10=1.99 avg60=… total=…} and, where there is one, the {@code full} line
     * after it: their avg10 go into {@code into}; returns whether there was a full line.
     */
    static boolean parse(ByteText text, double[] into) {
        if (!text.lineStartsWith("some ") || !text.skipPast('=')) {
            throw new IllegalStateException("a pressure file does not start with \"some avg10=\"");
        }
        into[0] = text.nextDecimal();
        text.nextLine();
        if (!text.lineStartsWith("full ") || !text.skipPast('=')) {
            return false;
        }
        into[1] = text.nextDecimal();
        return true;
    }
}
