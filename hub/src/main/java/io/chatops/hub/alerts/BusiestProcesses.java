package io.chatops.hub.alerts;

import io.chatops.hub.processes.ProcessService;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The busiest processes when a CPU or memory alert fired, for its message: the agent is asked when
 * the alert opens and again when it fires, and the firing message waits for the answer (it goes out
 * with the next timer round, within {@link #WAIT_AT_MOST}). Alerts judged from samples replayed long
 * after they were taken get none: the processes now say nothing about then.
 */
final class BusiestProcesses {
    static final int NAMED = 3;
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(10);
    /** How long before the firing a measurement still tells what fired. */
    static final Duration FRESH = Duration.ofSeconds(30);

    private final ProcessService processes;
    private final Clock clock;

    BusiestProcesses(ProcessService processes, Clock clock) {
        this.processes = processes;
        this.clock = clock;
    }

    /** For evaluation without agents to ask (benchmarks): messages name no processes. */
    static BusiestProcesses none(Clock clock) {
        return new BusiestProcesses(null, clock);
    }

    /** Starts measuring the server's processes if {@code rule} is about CPU or memory and {@code at} is now. */
    void measure(AlertRule rule, String serverId, Instant at) {
        ProcessesRequest.Sort sort = sortFor(rule);
        if (sort != null && recent(at)) {
            processes.ask(serverId, sort).exceptionally(error -> null); // an agent that cannot answer: the message goes without
        }
    }

    /** Whether the firing message of {@code alert} should wait for a measurement still under way. */
    boolean worthWaiting(Alert alert, AlertRule rule) {
        ProcessesRequest.Sort sort = sortFor(rule);
        return sort != null && alert.firingAt() != null && recent(alert.firingAt())
                && processes.takenSince(alert.serverId(), sort, alert.firingAt().minus(FRESH)).isEmpty()
                && processes.measuring(alert.serverId(), sort);
    }

    /** The busiest processes at the time {@code alert} fired, when they were measured then; else none. */
    List<ProcessList.ProcessInfo> of(Alert alert, AlertRule rule) {
        ProcessesRequest.Sort sort = sortFor(rule);
        if (sort == null || alert.firingAt() == null) {
            return List.of();
        }
        return processes.takenSince(alert.serverId(), sort, alert.firingAt().minus(FRESH))
                .map(list -> list.processes().subList(0, Math.min(NAMED, list.processes().size()))).orElse(List.of());
    }

    private boolean recent(Instant at) {
        return !at.isBefore(clock.instant().minus(WAIT_AT_MOST));
    }

    private ProcessesRequest.Sort sortFor(AlertRule rule) {
        if (processes == null || rule.kind() != AlertRule.Kind.METRIC) {
            return null;
        }
        return switch (rule.metric()) {
            case CPU_PERCENT, LOAD_1, LOAD_1_PER_CORE -> ProcessesRequest.Sort.CPU;
            case MEMORY_PERCENT, SWAP_PERCENT -> ProcessesRequest.Sort.MEMORY;
            default -> null;
        };
    }
}
