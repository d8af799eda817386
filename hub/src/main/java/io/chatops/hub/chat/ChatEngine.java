package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.alerts.AlertService;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.UserStore;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.commands.CommandService;
import io.chatops.hub.docker.DockerService;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.processes.ProcessService;
import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.servers.ServerView;
import io.chatops.hub.text.Words;
import java.net.URI;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one command engine of every chat front end (CHATOPS.md): reads a line, finds its verb and
 * answers, calling the hub's services with the person's own role, so that chat can do exactly what
 * that person may do in the web interface, and every action lands in the same audit log. It never
 * stays silent: an unknown verb or a bad argument is answered with the closest verb's usage, and
 * every failure (offline, timeout, refused, expired) with what happened.
 */
public final class ChatEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEngine.class);

    /**
     * Where a command came from: {@code web}, {@code slack} or {@code mattermost}, and the chat
     * platform's own id of the person (null in the web room, where the hub's sign-in is the identity).
     */
    public record Origin(String platform, String chatUser) {
        public static final Origin WEB = new Origin("web", null);
    }

    private record Verb(String usage, String what, Function<Asked, Reply> answer) {
    }

    /** What someone whose chat identity is not linked to a hub user may ask. */
    private static final java.util.Set<String> UNLINKED_VERBS = java.util.Set.of("help", "whoami", "link");

    private final Map<String, Verb> verbs = new LinkedHashMap<>();
    private final ChatSettings settings;
    private final ChatIdentities identities;
    /** Slash commands per chat identity, across Slack and Mattermost: as many as the web room allows. */
    private final PerMinute commandsPerPerson;
    private final String hubUrl;
    private final RunVerbs run;
    private final AuditLog audit;

    public ChatEngine(Jdbi jdbi, ServerStore servers, ServerView view, CommandService commands, DockerService docker, AlertService alerts,
            MetricsStore metrics, ProcessService processes, UserStore users, AuditLog audit, URI hubUrl, Peers peers, Clock clock) {
        this.audit = audit;
        this.settings = new ChatSettings(jdbi);
        this.identities = new ChatIdentities(jdbi, users, clock);
        this.commandsPerPerson = new PerMinute("command", ChatRoom.PER_MINUTE, jdbi, clock);
        this.hubUrl = hubUrl.toString();
        Targets targets = new Targets(servers);
        ApprovalVerbs approvals = new ApprovalVerbs(new Approvals(jdbi, clock), users, audit, clock);
        FleetVerbs fleet = new FleetVerbs(targets, view, alerts, metrics, clock);
        DockerVerbs dockerVerbs = new DockerVerbs(targets, docker, approvals);
        this.run = new RunVerbs(targets, commands, settings, approvals, new JobStore(jdbi, hubUrl.toString()), peers, clock);
        approvals.runWith((request, requester, asked) -> switch (request.canonical().verb()) {
            case "run" -> run.runApproved(request, requester, asked.later(), asked.answerTo(), servers::byId);
            case "docker stop" -> {
                String serverId = request.canonical().serverIds().get(0);
                String name = servers.byId(serverId).map(ServerStore.Server::name).orElse(serverId);
                yield Reply.text(dockerVerbs.stopApproved(requester, serverId, request.canonical().container(), name));
            }
            default -> throw new IllegalStateException("an approval request of an unknown verb: " + request.canonical().verb());
        });
        verb("help", "help [verb]", "the verbs, or one verb's usage", this::help);
        verb("status", "status [target]", "one line per server: status, CPU, memory, fullest disk, firing alerts", fleet::status);
        verb("metrics", "metrics <server> [cpu|memory|disk|network]", "the latest figures and the last hour's min/avg/max", fleet::metrics);
        verb("top", "top <server> [cpu|memory]", "the busiest processes now, measured by the agent", new ProcessVerbs(targets, processes)::top);
        verb("alerts", "alerts [target]", "firing and pending alerts", fleet::alerts);
        verb("ack", "ack <alert>", "acknowledge an alert (operator): it stops repeating", fleet::ack);
        verb("silence", "silence <target> <30m|2h|1d> [reason]", "silence the servers' alerts for a while (operator)", fleet::silence);
        verb("docker", "docker ps <server> · docker logs <server> <container> [--tail=50] · docker start|restart|stop <server> <container>",
                "containers; start and restart (operator), stop (operator, with approval)", dockerVerbs::docker);
        verb("run", "run <target> -- <command> [--timeout=60]",
                "a shell command on servers (operator; approval unless one server and an allowed command)", run::run);
        verb("jobs", "jobs [job]", "recent runs, or one run's rows", run::jobs);
        verb("cancel", "cancel <job>", "stop what still runs of a job (operator)", run::cancel);
        verb("pending", "pending", "requests waiting for approval (operator)", approvals::pending);
        verb("approve", "approve <id>", "run another operator's request (operator)", approvals::approve);
        verb("deny", "deny <id> [reason]", "refuse another operator's request (operator)", approvals::deny);
        verb("whoami", "whoami", "who the hub takes you for, and your role", this::whoami);
        verb("link", "link", "bind your Slack or Mattermost identity to your hub user", this::link);
    }

    private void verb(String name, String usage, String what, Function<Asked, Reply> answer) {
        verbs.put(name, new Verb(usage, what, answer));
    }

    /**
     * Answers {@code text} for {@code actor}. {@code later} hears later versions of the answer (a
     * job's rows as servers finish), on another thread.
     */
    public Reply handle(Actor actor, Origin origin, String text, Consumer<Reply> later) {
        return handle(actor, origin, text, later, null);
    }

    /**
     * {@link #handle(Actor, Origin, String, Consumer)} for a front end that can send later versions
     * of the answer from any hub instance: {@code answerTo} is its address of this answer (with a
     * {@code front} field naming who {@link #resumeAnswersWith resumes} it), stored with a job so that
     * another instance finishes the job if this one stops.
     */
    Reply handle(Actor actor, Origin origin, String text, Consumer<Reply> later, ObjectNode answerTo) {
        Asked asked = null;
        try {
            ChatLine line = ChatLine.parse(text);
            asked = new Asked(actor, origin, line, later, answerTo);
            if (line.verb().isEmpty()) {
                return asked.say("say help for the verbs.");
            }
            Verb verb = verbs.get(line.verb());
            if (verb == null) {
                String closest = verbs.keySet().stream().min(Comparator.comparingInt(name -> Words.distance(name, line.verb()))).orElseThrow();
                return asked.say("there is no verb " + line.verb() + ". Did you mean " + closest + "? usage: " + verbs.get(closest).usage()
                        + " — help lists them all");
            }
            if (actor.userId() == null && !UNLINKED_VERBS.contains(line.verb())) {
                return asked.say("your " + origin.platform() + " identity is not linked to a hub user yet: say link, and open the"
                        + " link it gives you while signed in to the hub.");
            }
            try {
                return verb.answer().apply(asked);
            } catch (ChatError e) {
                return asked.say(e.getMessage() + (e.getMessage().startsWith("usage:") ? "" : " (usage: " + verb.usage() + ")"));
            }
        } catch (ChatError e) {
            return Reply.text("@" + actor.username() + " " + e.getMessage());
        } catch (ApiError e) {
            return Reply.text("@" + actor.username() + " " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("chat command failed: {}", FanOutJob.oneLine(text), e);
            return Reply.text("@" + actor.username() + " that failed inside the hub (" + e.getClass().getSimpleName()
                    + "); the hub's log has the details");
        }
    }

    private Reply help(Asked asked) {
        String about = asked.line().word(0);
        if (about != null) {
            Verb verb = verbs.get(about.toLowerCase(java.util.Locale.ROOT));
            if (verb == null) {
                throw new ChatError("there is no verb " + about + "; help lists them");
            }
            return asked.say("`" + verb.usage() + "`: " + verb.what());
        }
        StringBuilder text = new StringBuilder(asked.at()).append("verbs (a target is a name, names,with,commas, a glob web-*, tag:<tag> or all):\n```\n");
        verbs.values().forEach(verb -> text.append(verb.usage()).append("\n    ").append(verb.what()).append('\n'));
        return Reply.text(text.append("```").toString());
    }

    private Reply whoami(Asked asked) {
        Actor actor = asked.actor();
        if (actor.userId() == null) {
            return asked.say("you are " + asked.origin().chatUser() + " on " + asked.origin().platform()
                    + ", not linked to a hub user yet: say link.");
        }
        return asked.say("you are " + actor.username() + " (" + actor.role().wireName() + ") in "
                + (asked.origin().chatUser() == null ? "the " + asked.origin().platform() + " room" : asked.origin().platform() + " as "
                + asked.origin().chatUser()) + ".");
    }

    /** A one-time link that binds this chat identity to whichever hub user opens it, signed in, within ten minutes. */
    private Reply link(Asked asked) {
        ChatEngine.Origin origin = asked.origin();
        if (origin.chatUser() == null) {
            return asked.say("link binds a Slack or Mattermost identity to a hub user; here you are signed in already.");
        }
        String[] teamAndUser = origin.chatUser().split("/", 2);
        String nonce = identities.newLink(new ChatIdentities.ChatUser(origin.platform(), teamAndUser[0], teamAndUser[1]));
        return new Reply(asked.at() + "open " + hubUrl + "/#/chat/link/" + nonce + " within " + ChatIdentities.LINK_LASTS.toMinutes()
                + " minutes, signed in as your hub user, to link this " + origin.platform() + " identity to it. Only you see this.",
                List.of(), null, null, true, false);
    }

    /** Binds the chat identity of a one-time link to the signed-in actor (audited); 404 when the link is unknown, used or expired. */
    public Map<String, Object> redeemLink(Actor actor, String nonce) {
        actor.require(Role.VIEWER);
        ChatIdentities.ChatUser who = identities.redeem(nonce, actor.userId())
                .orElseThrow(() -> ApiError.notFound("this link is unknown, used or expired; ask for a new one with link"));
        audit.record(new AuditEvent(actor, "chat_link", "user:" + actor.userId(), "ok", who.describe()));
        return Map.of("platform", who.platform(), "team_id", who.teamId(), "user_id", who.userId());
    }

    /** The actor's own linked identities. */
    public List<Map<String, Object>> identities(Actor actor) {
        actor.require(Role.VIEWER);
        return identities.of(actor.userId());
    }

    public void unlink(Actor actor, String id) {
        actor.require(Role.VIEWER);
        if (!identities.delete(id, actor.userId())) {
            throw ApiError.notFound("you have no linked identity " + id);
        }
        audit.record(new AuditEvent(actor, "chat_unlink", "user:" + actor.userId(), "ok", id));
    }

    /** Mattermost as a front end of this engine; its buttons post back to {@code hubUrl}. */
    public MattermostFront mattermost(Jdbi jdbi, URI hubUrl, Clock clock) {
        return new MattermostFront(this, identities, commandsPerPerson, new ChatIntegrations(jdbi), audit, hubUrl, clock);
    }

    /** Slack as a front end of this engine. */
    public SlackFront slack(Jdbi jdbi, URI slackApi, Clock clock) {
        return new SlackFront(this, identities, commandsPerPerson, new ChatIntegrations(jdbi), audit, slackApi, clock);
    }

    /** The chat settings (viewer reads, admin changes, audited). */
    public Map<String, Object> settings(Actor actor) {
        actor.require(Role.VIEWER);
        return settings.read().json();
    }

    public Map<String, Object> updateSettings(Actor actor, JsonNode body) {
        actor.require(Role.ADMIN);
        ChatSettings.Values values = settings.write(body);
        audit.record(new AuditEvent(actor, "chat_settings_update", "chat:settings", "ok", String.join(", ", values.allowCommands())
                + "; approval for multi-server runs " + values.approvalForMultiServer()));
        return values.json();
    }

    /**
     * Lets {@code front} (the {@code front} field of an answer's address) send later versions of
     * answers whose job another hub instance started: {@code resume} makes a sender from the address.
     */
    void resumeAnswersWith(String front, Function<JsonNode, Consumer<Reply>> resume) {
        run.resumeAnswersWith(front, resume);
    }

    /** Finishes the jobs of hub instances that stopped while they ran: run now and then by the leading instance. */
    public void finishOrphanedJobs() {
        run.finishOrphanedJobs();
    }

    @Override
    public void close() {
        run.close();
    }
}
