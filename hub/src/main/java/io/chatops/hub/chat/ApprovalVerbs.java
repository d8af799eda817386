package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.auth.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The two-person rule (CHATOPS.md): a command that needs approval is stored in its canonical form
 * and runs only when another operator approves it within ten minutes, as the person who asked,
 * never re-parsed. {@code pending}, {@code approve} and {@code deny}.
 */
final class ApprovalVerbs {
    /** Runs an approved request as {@code requester}; answers what happened. */
    interface Runner {
        Reply run(Approvals.Request request, Actor requester, Asked approval);
    }

    private final Approvals approvals;
    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;
    private Runner runner;

    ApprovalVerbs(Approvals approvals, UserStore users, AuditLog audit, Clock clock) {
        this.approvals = approvals;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** What runs approved requests; set once, by the engine that owns the verbs it runs. */
    void runWith(Runner runner) {
        this.runner = runner;
    }

    /** Stores the request and answers with its id and the buttons to decide it. */
    Reply request(Asked asked, Approvals.Canonical canonical, String summary) {
        Approvals.Request request = approvals.request(canonical, summary, asked.actor().userId(), asked.actor().username(),
                asked.origin().platform(), asked.origin().chatUser());
        audit.record(new AuditEvent(asked.actor(), "chat_approval_request", "approval:" + request.id(), "pending",
                summary + " (" + where(request.platform(), request.chatUser()) + ")"));
        return new Reply(asked.at() + "asked for `" + FanOutJob.oneLine(summary) + "`: it needs another operator's approval within "
                + Approvals.EXPIRES_AFTER.toMinutes() + " minutes. approve " + request.id() + " or deny " + request.id(),
                List.of(new Reply.Button("Approve", "approve " + request.id(), false), new Reply.Button("Deny", "deny " + request.id(), true)),
                null, request.id());
    }

    Reply pending(Asked asked) {
        asked.actor().require(Role.OPERATOR);
        List<Approvals.Request> waiting = approvals.pending();
        if (waiting.isEmpty()) {
            return asked.say("nothing waits for approval.");
        }
        StringBuilder text = new StringBuilder(asked.at()).append(FanOutJob.plural(waiting.size(), "request")).append(" waiting:\n```\n");
        waiting.forEach(r -> text.append(r.id()).append("  ").append(r.requesterName()).append(": ").append(FanOutJob.oneLine(r.summary()))
                .append("  (expires ").append(r.expiresAt()).append(")\n"));
        return Reply.text(text.append("```").toString());
    }

    Reply approve(Asked asked) {
        Approvals.Request request = decidable(asked, "approve <id>");
        Actor requester = users.byId(request.requesterId())
                .map(user -> new Actor(user.id(), user.username(), user.role(), source(request.platform()), request.chatUser())).orElse(null);
        if (requester == null || !requester.role().includes(Role.OPERATOR)) {
            approvals.decide(request.id(), Approvals.State.DENIED, asked.actor().username(), "the requester no longer has the operator role");
            return asked.say(request.requesterName() + " no longer has the operator role, so " + request.id() + " was denied; nothing ran.");
        }
        if (!approvals.decide(request.id(), Approvals.State.APPROVED, asked.actor().username(), null)) {
            return explainDecided(asked, request.id());
        }
        audit.record(new AuditEvent(asked.actor(), "chat_approve", "approval:" + request.id(), "ok", FanOutJob.oneLine(request.summary())
                + "; requested by " + request.requesterName() + " (" + where(request.platform(), request.chatUser()) + "), approved by "
                + asked.actor().username() + " (" + where(asked.origin().platform(), asked.origin().chatUser()) + ")"));
        String heading = asked.at() + "approved " + request.id() + " (" + request.requesterName() + "'s request).\n";
        // Later versions of the answer (a job's rows) keep saying who approved what.
        ObjectNode answerTo = asked.answerTo() == null ? null
                : asked.answerTo().deepCopy().put(RunVerbs.HEADING, heading).put(RunVerbs.APPROVAL, request.id());
        Asked approval = new Asked(asked.actor(), asked.origin(), asked.line(), later -> asked.later().accept(under(heading, later, request)),
                answerTo);
        Reply ran;
        try {
            ran = runner.run(request, requester, approval);
        } catch (io.chatops.hub.http.ApiError e) { // offline, no answer, refused: approved, but it could not run
            ran = Reply.text("it could not run: " + e.getMessage());
        }
        return under(heading, ran, request);
    }

    private static Reply under(String heading, Reply ran, Approvals.Request request) {
        return under(heading, ran, request.id());
    }

    /** {@code ran} under the heading that says who approved request {@code approvalId}. */
    static Reply under(String heading, Reply ran, String approvalId) {
        return new Reply(heading + ran.text(), ran.buttons(), ran.jobId(), approvalId, false, ran.partial());
    }

    Reply deny(Asked asked) {
        Approvals.Request request = decidable(asked, "deny <id> [reason]");
        List<String> words = asked.line().words();
        String reason = words.size() > 1 ? String.join(" ", words.subList(1, words.size())) : null;
        if (!approvals.decide(request.id(), Approvals.State.DENIED, asked.actor().username(), reason)) {
            return explainDecided(asked, request.id());
        }
        audit.record(new AuditEvent(asked.actor(), "chat_deny", "approval:" + request.id(), "ok", FanOutJob.oneLine(request.summary())
                + "; requested by " + request.requesterName() + (reason == null ? "" : "; " + reason)));
        return asked.say("denied " + request.id() + " (" + request.requesterName() + ": " + FanOutJob.oneLine(request.summary()) + ")"
                + (reason == null ? "" : ": " + reason) + ". Nothing ran.");
    }

    /** A request this operator may decide now: it exists, is someone else's, and is still pending. */
    private Approvals.Request decidable(Asked asked, String usage) {
        asked.actor().require(Role.OPERATOR);
        String id = FleetVerbs.required(asked, 0, usage).toLowerCase(Locale.ROOT);
        Approvals.Request request = approvals.find(id).orElseThrow(() -> new ChatError("no request has the id " + id + "; pending lists them"));
        if (request.requesterId().equals(asked.actor().userId())) {
            throw new ChatError("you asked for " + id + " yourself; another operator must decide it");
        }
        if (request.stateAt(clock.instant()) != Approvals.State.PENDING) {
            throw new ChatError(decided(request));
        }
        return request;
    }

    private Reply explainDecided(Asked asked, String id) {
        return asked.say(approvals.find(id).map(this::decided).orElse("no request has the id " + id));
    }

    private String decided(Approvals.Request request) {
        return switch (request.stateAt(clock.instant())) {
            case APPROVED -> request.id() + " was already approved by " + request.decidedBy() + "; it ran once, nothing ran now";
            case DENIED -> request.id() + " was denied by " + request.decidedBy() + "; nothing ran";
            case EXPIRED -> request.id() + " expired at " + request.expiresAt() + " without a decision; nothing ran. Ask again if it is still needed";
            case PENDING -> request.id() + " is waiting";
        };
    }

    private static String where(String platform, String chatUser) {
        return chatUser == null ? platform : platform + " " + chatUser;
    }

    private static Actor.Source source(String platform) {
        return switch (platform) {
            case "slack" -> Actor.Source.SLACK;
            case "mattermost" -> Actor.Source.MATTERMOST;
            default -> Actor.Source.WEB_CHAT;
        };
    }
}
