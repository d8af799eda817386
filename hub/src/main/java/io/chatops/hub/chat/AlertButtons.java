package io.chatops.hub.chat;

import io.chatops.hub.notify.Notice;
import io.chatops.hub.notify.NoticeButtons;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;

/**
 * The buttons of a firing alert's message in every chat: Acknowledge, Silence 1 h (its server) and,
 * for a container rule, Restart (its container), each a command that runs as whoever presses it,
 * with that person's role. The web room shows them with its own message; Slack and Mattermost
 * notification channels carry them when that integration is set up on the hub (a click then comes
 * back to the hub, signed).
 */
public final class AlertButtons implements NoticeButtons {
    private final ChatIntegrations integrations;
    private final String mattermostActions;
    private final Clock clock;

    public AlertButtons(Jdbi jdbi, URI hubUrl, Clock clock) {
        this.integrations = new ChatIntegrations(jdbi);
        this.mattermostActions = MattermostFront.actionsUrl(hubUrl);
        this.clock = clock;
    }

    /** The buttons for an alert (as the API shows it) that fires; none once it resolved. */
    static List<Reply.Button> of(Map<String, ?> alert) {
        if (!"firing".equals(alert.get("state"))) {
            return List.of();
        }
        List<Reply.Button> buttons = new ArrayList<>();
        buttons.add(new Reply.Button("Acknowledge", "ack " + FleetVerbs.shortId((String) alert.get("id")), false));
        Object server = alert.get("server_name");
        if (server != null) {
            buttons.add(new Reply.Button("Silence 1 h", "silence " + server + " 1h", false));
            // A container rule's alert: its subject is the container, and its summary says so.
            if (alert.get("subject") != null && String.valueOf(alert.get("summary")).startsWith("container ")) {
                buttons.add(new Reply.Button("Restart", "docker restart " + server + " " + alert.get("subject"), true));
            }
        }
        return buttons;
    }

    @Override
    public List<Map<String, Object>> slack(Notice notice) {
        List<Reply.Button> buttons = of(notice);
        if (buttons.isEmpty() || integrations.slack().isEmpty()) {
            return List.of();
        }
        return IntStream.range(0, buttons.size()).mapToObj(i -> SlackMessages.button(buttons.get(i), i)).toList();
    }

    @Override
    public List<Map<String, Object>> mattermost(Notice notice) {
        List<Reply.Button> buttons = of(notice);
        return buttons.isEmpty() ? List.of() : integrations.mattermost()
                .map(mattermost -> MattermostFront.actions(buttons, mattermostActions, mattermost.actionKey(), clock.instant()))
                .orElse(List.of());
    }

    /** A firing or repeated alert's notice gets buttons; a resolution, a keep-alive or a test none. */
    private static List<Reply.Button> of(Notice notice) {
        boolean firing = notice.event().equals("alert.firing") || notice.event().equals("alert.repeat");
        return firing && notice.payload().get("alert") instanceof Map<?, ?> alert ? of(asStrings(alert)) : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asStrings(Map<?, ?> alert) {
        return (Map<String, ?>) alert;
    }
}
