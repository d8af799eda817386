package io.chatops.hub.chat;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.commands.CommandService;
import io.chatops.hub.servers.ServerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code run}, {@code jobs} and {@code cancel}: a shell command on one or many servers as one job.
 * A run needs a second operator when it covers more than one server (unless the admin turned that
 * off) or its command is not on the allow-list. The answer of a job is shown again as servers
 * finish, at most twice a second, and once more when the last one did.
 */
final class RunVerbs implements AutoCloseable {
    /** Jobs remembered for {@code jobs} and {@code cancel}; their commands stay in each server's history. */
    static final int JOBS_KEPT = 200;
    static final Duration UPDATE_EVERY = Duration.ofMillis(500);

    private final Targets targets;
    private final CommandService commands;
    private final ChatSettings settings;
    private final ApprovalVerbs approvals;
    private final String hubUrl;
    private final Clock clock;
    private final Map<String, FanOutJob> jobs = new LinkedHashMap<>();
    private final ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chat-job-updates");
        thread.setDaemon(true);
        return thread;
    });

    RunVerbs(Targets targets, CommandService commands, ChatSettings settings, ApprovalVerbs approvals, String hubUrl, Clock clock) {
        this.targets = targets;
        this.commands = commands;
        this.settings = settings;
        this.approvals = approvals;
        this.hubUrl = hubUrl;
        this.clock = clock;
    }

    Reply run(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        String command = asked.line().shell();
        if (command == null || command.isBlank()) {
            throw new ChatError("usage: run <target> -- <command>, e.g. run web-01 -- df -h");
        }
        List<ServerStore.Server> servers = targets.resolve(FleetVerbs.required(asked, 0, "run <target> -- <command>"));
        Duration timeout = timeout(asked.line().flags().get("timeout"));
        ChatSettings.Values rules = settings.read();
        boolean needsApproval = (servers.size() > 1 && rules.approvalForMultiServer()) || !rules.allows(command);
        if (needsApproval) {
            String where = servers.size() == 1 ? servers.get(0).name() : FanOutJob.plural(servers.size(), "server");
            return approvals.request(asked, new Approvals.Canonical("run", servers.stream().map(ServerStore.Server::id).toList(), command, null),
                    "run on " + where + ": " + command);
        }
        return start(asked.actor(), servers, command, timeout, asked.later());
    }

    /** Runs an approved request's stored command on its stored servers (those deleted since are left out). */
    Reply runApproved(Approvals.Request request, Actor requester, Consumer<Reply> later, ServerLookup lookup) {
        List<ServerStore.Server> servers = request.canonical().serverIds().stream().map(lookup::find).flatMap(Optional::stream).toList();
        if (servers.isEmpty()) {
            return Reply.text("its servers were deleted since; nothing ran");
        }
        return start(requester, servers, request.canonical().command(), CommandService.DEFAULT_TIMEOUT, later);
    }

    interface ServerLookup {
        Optional<ServerStore.Server> find(String id);
    }

    private Reply start(Actor actor, List<ServerStore.Server> servers, String command, Duration timeout, Consumer<Reply> later) {
        FanOutJob job = new FanOutJob("j-" + UUID.randomUUID().toString().substring(0, 8), actor.username(), command, servers,
                clock.instant(), hubUrl);
        remember(job);
        AtomicBoolean scheduled = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        job.start(commands, actor, timeout, changed -> {
            if (!started.get()) {
                return; // the first answer below shows it
            }
            if (changed.done()) {
                later.accept(reply(changed));
            } else if (scheduled.compareAndSet(false, true)) {
                updates.schedule(() -> {
                    scheduled.set(false);
                    if (!changed.done()) {
                        later.accept(reply(changed));
                    }
                }, UPDATE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        started.set(true);
        Reply first = reply(job);
        if (job.done()) {
            later.accept(first); // everything ended before the answer was made (all offline, say)
        }
        return first;
    }

    Reply jobs(Asked asked) {
        asked.actor().require(Role.VIEWER);
        String id = asked.line().word(0);
        if (id != null) {
            return reply(job(id));
        }
        List<FanOutJob> recent;
        synchronized (jobs) {
            recent = new ArrayList<>(jobs.values());
        }
        if (recent.isEmpty()) {
            return asked.say("no jobs since the hub started.");
        }
        StringBuilder text = new StringBuilder(asked.at()).append("recent jobs, newest last:\n```\n");
        for (FanOutJob job : recent.subList(Math.max(0, recent.size() - 20), recent.size())) {
            text.append(job.id).append("  ").append(job.startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append("  ")
                    .append(job.requester).append("  ").append(job.done() ? "done    " : "running ").append(FanOutJob.oneLine(job.command))
                    .append('\n');
        }
        return Reply.text(text.append("```").toString());
    }

    Reply cancel(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        FanOutJob job = job(FleetVerbs.required(asked, 0, "cancel <job>"));
        List<String> running = job.runningCommandIds();
        for (String commandId : running) {
            try {
                commands.cancel(asked.actor(), commandId);
            } catch (io.chatops.hub.http.ApiError finishedMeanwhile) {
                // it ended while we asked: nothing to cancel
            }
        }
        return asked.say(running.isEmpty() ? "job " + job.id + " has nothing running." : "asked " + FanOutJob.plural(running.size(), "server")
                + " to cancel job " + job.id + "; its answer shows each as it stops.");
    }

    private FanOutJob job(String id) {
        synchronized (jobs) {
            FanOutJob job = jobs.get(id);
            if (job == null) {
                throw new ChatError("no job has the id " + id + "; jobs lists the recent ones");
            }
            return job;
        }
    }

    private void remember(FanOutJob job) {
        synchronized (jobs) {
            jobs.put(job.id, job);
            if (jobs.size() > JOBS_KEPT) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
    }

    private static Reply reply(FanOutJob job) {
        List<Reply.Button> buttons = job.done() ? List.of() : List.of(new Reply.Button("Cancel", "cancel " + job.id, true));
        return new Reply(job.render(), buttons, job.id, null, false, !job.done());
    }

    private static Duration timeout(String flag) {
        if (flag == null) {
            return CommandService.DEFAULT_TIMEOUT;
        }
        try {
            Duration timeout = Duration.ofSeconds(Long.parseLong(flag));
            if (timeout.toSeconds() >= 1 && timeout.toSeconds() <= io.chatops.protocol.Command.MAX_TIMEOUT_SECONDS) {
                return timeout;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ChatError("--timeout is a number of seconds from 1 to " + io.chatops.protocol.Command.MAX_TIMEOUT_SECONDS);
    }

    @Override
    public void close() {
        updates.shutdownNow();
    }
}
