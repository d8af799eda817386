package io.chatops.agent.metrics;

import io.chatops.protocol.InterfaceCounters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Cumulative counters of every interface in /proc/net/dev; the hub turns them into rates. */
final class NetworkCollector implements Collector, NetDevParser.Sink {
    private final ProcFile netDev;
    private final List<String> names = new ArrayList<>();
    private List<InterfaceCounters> interfaces;

    NetworkCollector(ProcFs fs) {
        netDev = new ProcFile(fs.resolve("proc/net/dev"));
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public void collect(SampleBuilder sample) throws IOException {
        interfaces = new ArrayList<>(names.size() + 1);
        int count = NetDevParser.parse(netDev.read(), this);
        while (names.size() > count) {
            names.remove(names.size() - 1);
        }
        sample.network = interfaces;
    }

    @Override
    public String previousName(int index) {
        return index < names.size() ? names.get(index) : null;
    }

    @Override
    public void accept(int index, String name, long bytesRecv, long packetsRecv, long errorsIn, long bytesSent,
            long packetsSent, long errorsOut) {
        if (index < names.size()) {
            names.set(index, name);
        } else {
            names.add(name);
        }
        interfaces.add(new InterfaceCounters(name, bytesSent, bytesRecv, packetsSent, packetsRecv, errorsIn, errorsOut));
    }
}
