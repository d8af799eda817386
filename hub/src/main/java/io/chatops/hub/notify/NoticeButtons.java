package io.chatops.hub.notify;

import java.util.List;
import java.util.Map;

/**
 * The buttons an alert's message carries on a chat platform (CHATOPS.md "Alerts in chat"), made by
 * whoever knows that platform's integration: none when it is not set up, since a click would reach
 * nobody who could check it.
 */
public interface NoticeButtons {
    NoticeButtons NONE = new NoticeButtons() {
        @Override
        public List<Map<String, Object>> slack(Notice notice) {
            return List.of();
        }

        @Override
        public List<Map<String, Object>> mattermost(Notice notice) {
            return List.of();
        }
    };

    /** Block Kit button elements for a Slack message. */
    List<Map<String, Object>> slack(Notice notice);

    /** Attachment actions for a Mattermost message. */
    List<Map<String, Object>> mattermost(Notice notice);
}
