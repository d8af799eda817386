package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Metrics;
import java.time.Instant;
import java.util.List;

/** An alert that fires on a real hub: web-01's CPU above 90, told to one notification channel. */
final class FiringAlert {
    private FiringAlert() {
    }

    /** Creates web-01, a channel of {@code type} posting to {@code hookUrl} and a rule to it, then makes the rule fire. */
    static void fire(Hub hub, Api api, String operator, String type, String hookUrl) throws Exception {
        String serverId = hub.servers().create("web-01", List.of()).id();
        Api.Response channel = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"ops\",\"type\":\"" + type + "\",\"config\":{\"webhook_url\":\"" + hookUrl + "\"}}");
        assertThat(channel.status()).as(channel.body().toString()).isEqualTo(201);
        Api.Response rule = api.as(operator, "POST", "/api/v1/alert-rules", """
                {"name":"CPU busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}"""
                .formatted(channel.body().path("id").asText()));
        assertThat(rule.status()).as(rule.body().toString()).isEqualTo(201);
        Metrics sample = new Metrics(1, Instant.now(), 5, new CpuUsage(99, List.of(99.0), 0.1, 0.1, 0.1), null, List.of(), List.of(), 10L,
                null, null);
        hub.metrics().store(serverId, sample);
        hub.services().alerts().settle();
    }
}
