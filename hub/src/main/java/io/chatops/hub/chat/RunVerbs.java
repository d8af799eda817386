package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.commands.CommandRecord;
import io.chatops.hub.commands.CommandService;
import io.chatops.hub.servers.ServerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}, {@code jobs} and {@code cancel}: a shell command on one or many servers as one job.
 * A run needs a second operator when it covers more than one server (unless the admin turned that
 * off) or its command is not on the allow-list. The answer of a job is shown again as servers
 * finish, at most twice a second, and once more when the last one did. Jobs are stored
 * ({@link JobStore}): {@code jobs} and {@code cancel} work on any hub instance, and when the
 * instance that runs a job stops, the leading one posts its final answer once every command ended
 * (the instance that holds a server's agent records its command's end, or its deadline does).
 */
final class RunVerbs implements AutoCloseable {
    static final Duration UPDATE_EVERY = Duration.ofMillis(500);
    /** Fields an approval adds to an answer's address: its answers keep saying who approved what. */
    static final String HEADING = "heading";
    static final String APPROVAL = "approval_id";
    /** Whom the leading instance reads command records as, to finish another instance's job. */
    private static final Actor HUB = new Actor(null, "hub", Role.VIEWER, Actor.Source.WEB_CHAT, null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RunVerbs.class);

    private final Targets targets;
    private final CommandService commands;
    private final ChatSettings settings;
    private final ApprovalVerbs approvals;
    private final JobStore jobs;
    private final Peers peers;
    private final Clock clock;
    private final Map<String, Function<JsonNode, Consumer<Reply>>> resumers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chat-job-updates");
        thread.setDaemon(true);
        return thread;
    });

    RunVerbs(Targets targets, CommandService commands, ChatSettings settings, ApprovalVerbs approvals, JobStore jobs, Peers peers,
            Clock clock) {
        this.targets = targets;
        this.commands = commands;
        this.settings = settings;
        this.approvals = approvals;
        this.jobs = jobs;
        this.peers = peers;
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
        return start(asked.actor(), servers, command, timeout, asked.later(), asked.answerTo());
    }

    /** Runs an approved request's stored command on its stored servers (those deleted since are left out). */
    Reply runApproved(Approvals.Request request, Actor requester, Consumer<Reply> later, ObjectNode answerTo, ServerLookup lookup) {
        List<ServerStore.Server> servers = request.canonical().serverIds().stream().map(lookup::find).flatMap(Optional::stream).toList();
        if (servers.isEmpty()) {
            return Reply.text("its servers were deleted since; nothing ran");
        }
        return start(requester, servers, request.canonical().command(), CommandService.DEFAULT_TIMEOUT, later, answerTo);
    }

    interface ServerLookup {
        Optional<ServerStore.Server> find(String id);
    }

    private Reply start(Actor actor, List<ServerStore.Server> servers, String command, Duration timeout, Consumer<Reply> later,
            ObjectNode answerTo) {
        FanOutJob job = new FanOutJob("j-" + UUID.randomUUID().toString().substring(0, 8), actor.username(), command, servers,
                clock.instant(), jobs.hubUrl());
        jobs.create(job, peers.self(), answerTo == null ? null : answerTo.toString());
        AtomicBoolean scheduled = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        job.start(commands, actor, timeout, jobs, changed -> {
            boolean done = changed.done();
            if (done) {
                jobs.finish(changed.id, clock.instant());
            }
            if (!started.get()) {
                return; // the first answer below shows it
            }
            if (done) {
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
        List<JobStore.Summary> recent = jobs.recent(20);
        if (recent.isEmpty()) {
            return asked.say("no jobs yet.");
        }
        StringBuilder text = new StringBuilder(asked.at()).append("recent jobs, newest last:\n```\n");
        for (JobStore.Summary job : recent) {
            text.append(job.id()).append("  ").append(job.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append("  ")
                    .append(job.requester()).append("  ").append(job.finished() ? "done    " : "running ").append(FanOutJob.oneLine(job.command()))
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
        return jobs.find(id).orElseThrow(() -> new ChatError("no job has the id " + id + "; jobs lists the recent ones"));
    }

    void resumeAnswersWith(String front, Function<JsonNode, Consumer<Reply>> resume) {
        resumers.put(front, resume);
    }

    /**
     * The leading instance's part in a job whose instance stopped: each row is filled in from its
     * command's record once that ended, and when all have, the final answer goes where the first
     * did (once: whichever instance marks the job finished first sends it).
     */
    void finishOrphanedJobs() {
        if (!peers.leads()) {
            return;
        }
        for (JobStore.Unfinished orphan : jobs.orphaned(peers.alive())) {
            jobs.find(orphan.id()).ifPresent(job -> {
                fillIn(job);
                if (job.done() && jobs.finish(job.id, clock.instant())) {
                    answerAgain(orphan.answerTo(), reply(job));
                }
            });
        }
    }

    private void fillIn(FanOutJob job) {
        for (FanOutJob.Row row : job.rows()) {
            if (row.outcome != null) {
                continue;
            }
            Optional<CommandRecord> record = row.commandId == null ? Optional.empty() : record(row.commandId);
            if (row.commandId == null) {
                row.outcome = "not run: the hub instance that ran the job stopped before it started this server's command";
            } else if (record.isEmpty()) {
                row.outcome = "ended: its record was deleted with its server";
            } else if (record.get().finished()) {
                row.end(record.get(), null);
            } else {
                continue; // still running
            }
            jobs.rowEnded(job.id, row);
        }
    }

    /** A command's record, empty when it went with its server. */
    private Optional<CommandRecord> record(String commandId) {
        try {
            return Optional.of(commands.find(HUB, commandId));
        } catch (io.chatops.hub.http.ApiError gone) {
            return Optional.empty();
        }
    }

    private void answerAgain(String answerTo, Reply reply) {
        if (answerTo == null) {
            return; // its front end could only answer on the instance that stopped
        }
        try {
            JsonNode address = JSON.readTree(answerTo);
            Function<JsonNode, Consumer<Reply>> resume = resumers.get(address.path("front").asText());
            if (resume == null) {
                LOG.warn("the answer of a job could not be sent: no front end {} on this hub", address.path("front").asText());
                return;
            }
            resume.apply(address).accept(address.has(HEADING)
                    ? ApprovalVerbs.under(address.get(HEADING).asText(), reply, address.path(APPROVAL).asText(null)) : reply);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("the final answer of a job whose hub instance stopped could not be sent: {}", e.toString());
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
