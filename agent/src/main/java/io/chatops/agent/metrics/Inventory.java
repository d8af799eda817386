package io.chatops.agent.metrics;

import io.chatops.protocol.AgentInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the agent tells the hub about its server in the {@code auth} frame: host name, machine id,
 * OS, kernel, CPU, memory and boot time. Anything unreadable is left out (null), never guessed.
 */
public final class Inventory {
    private Inventory() {
    }

    public static AgentInfo read(ProcFs fs, String agentVersion, String dockerVersion, List<String> capabilities)
            throws IOException {
        CpuTimes cpu = new CpuTimes();
        try (ProcFile stat = new ProcFile(fs.resolve("proc/stat"))) {
            CpuStatParser.parse(stat.read(), cpu);
        }
        MemInfo memory = new MemInfo();
        try (ProcFile meminfo = new ProcFile(fs.resolve("proc/meminfo"))) {
            MeminfoParser.parse(meminfo.read(), memory);
        }
        String hostname = firstLine(fs.resolve("proc/sys/kernel/hostname"));
        return new AgentInfo(
                agentVersion,
                hostname == null ? "unknown" : hostname,
                machineId(fs),
                osName(fs),
                firstLine(fs.resolve("proc/sys/kernel/osrelease")),
                arch(System.getProperty("os.arch")),
                cpuModel(fs),
                Math.max(1, cpu.cores()),
                memory.totalBytes,
                cpu.bootTimeEpochSeconds > 0 ? Instant.ofEpochSecond(cpu.bootTimeEpochSeconds) : null,
                dockerVersion,
                capabilities);
    }

    private static String machineId(ProcFs fs) {
        String id = firstLine(fs.resolve("etc/machine-id"));
        return id != null ? id : firstLine(fs.resolve("var/lib/dbus/machine-id"));
    }

    /** PRETTY_NAME of os-release ({@code Debian GNU/Linux 12 (bookworm)}). */
    static String osName(ProcFs fs) {
        for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
            try {
                for (String line : Files.readAllLines(fs.resolve(file))) {
                    if (line.startsWith("PRETTY_NAME=")) {
                        return unquote(line.substring("PRETTY_NAME=".length()));
                    }
                }
            } catch (IOException e) {
                // try the next location
            }
        }
        return null;
    }

    /** The {@code model name} of x86, or the {@code Model}/{@code Hardware} line of ARM boards. */
    static String cpuModel(ProcFs fs) {
        try {
            String fallback = null;
            for (String line : Files.readAllLines(fs.resolve("proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                if (key.equals("model name")) {
                    return line.substring(colon + 1).trim();
                }
                if (fallback == null && (key.equals("Model") || key.equals("Hardware"))) {
                    fallback = line.substring(colon + 1).trim();
                }
            }
            return fallback;
        } catch (IOException e) {
            return null;
        }
    }

    /** Go-style names, as Docker and the hub's UI use them. */
    static String arch(String javaArch) {
        switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64": case "x86_64": return "amd64";
            case "aarch64": case "arm64": return "arm64";
            case "x86": case "i386": case "i686": return "386";
            default: return javaArch;
        }
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file).trim();
            int newline = text.indexOf('\n');
            String line = newline < 0 ? text : text.substring(0, newline);
            return line.isBlank() ? null : line;
        } catch (IOException e) {
            return null;
        }
    }
}
