package io.chatops.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule routes: validation that names the field, roles, audit, acknowledgement. */
class AlertRulesTest {
    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String operator;
    String viewer;
    String admin;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"kind":"metric","metric":"cpu_percent","op":">","threshold":90}                          | name is required (text)
            {"name":"x","kind":"metric","metric":"cpu","op":">","threshold":90}                       | unknown metric "cpu"
            {"name":"x","kind":"metric","metric":"cpu_percent","op":"=","threshold":90}              | op must be one of >, >=, <, <=
            {"name":"x","kind":"metric","metric":"cpu_percent","op":">","threshold":"90"}            | threshold must be a number
            {"name":"x","kind":"metric","metric":"cpu_percent","op":">"}                             | threshold must be a number
            {"name":"x","kind":"disk"}                                                                | kind must be one of metric, offline, container
            {"name":"x","kind":"offline","threshold":3}                                               | threshold is only for metric rules
            {"name":"x","kind":"offline","for_seconds":-1}                                            | for_seconds must be a whole number of seconds from 0 to 604800
            {"name":"x","kind":"offline","severity":"page"}                                           | severity must be one of info, warning, critical
            {"name":"x","kind":"offline","scope":{"tags":"prod"}}                                     | scope.tags must be a list of at most 100 texts
            {"name":"x","kind":"offline","channel_ids":["nope"]}                                      | channel_ids: unknown notification channel "nope"
            {"name":"x","kind":"container","container":"web/../x"}                                    | container must be a container name or a glob such as web-*
            {"name":"x","kind":"offline","enabled":"yes"}                                             | enabled must be true or false
            [1,2]                                                                                     | the body must be a JSON object
            """)
    void bad_rules_are_refused_naming_the_field(String body, String message) throws Exception {
        Api.Response refused = api.as(operator, "POST", "/api/v1/alert-rules", body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).isEqualTo(message);
        assertThat(api.as(viewer, "GET", "/api/v1/alert-rules", null).body()).isEmpty();
    }

    @Test
    void operators_manage_rules_viewers_read_them_and_every_change_is_audited() throws Exception {
        String body = """
                {"name":"Disk almost full","kind":"metric","metric":"disk_percent","op":">","threshold":90,"for_seconds":300,
                 "scope":{"server_ids":[],"tags":["prod"]},"repeat_seconds":3600}""";
        assertThat(api.as(viewer, "POST", "/api/v1/alert-rules", body).status()).isEqualTo(403);
        Api.Response created = api.as(operator, "POST", "/api/v1/alert-rules", body);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("id").asText();
        assertThat(created.body().path("enabled").asBoolean()).isTrue();
        assertThat(created.body().path("severity").asText()).isEqualTo("warning");
        assertThat(created.body().path("created_by").asText()).isEqualTo("otto");

        Api.Response changed = api.as(operator, "PATCH", "/api/v1/alert-rules/" + id, "{\"threshold\":95,\"severity\":\"critical\"}");
        assertThat(changed.body().path("threshold").asDouble()).isEqualTo(95);
        assertThat(changed.body().path("metric").asText()).isEqualTo("disk_percent");
        assertThat(api.as(operator, "PATCH", "/api/v1/alert-rules/" + id, "{\"op\":\"~\"}").errorMessage())
                .isEqualTo("op must be one of >, >=, <, <=");
        assertThat(api.as(viewer, "GET", "/api/v1/alert-rules/" + id, null).body().path("threshold").asDouble()).isEqualTo(95);
        assertThat(api.as(viewer, "DELETE", "/api/v1/alert-rules/" + id, null).status()).isEqualTo(403);
        assertThat(api.as(operator, "DELETE", "/api/v1/alert-rules/" + id, null).status()).isEqualTo(204);
        assertThat(api.as(viewer, "GET", "/api/v1/alert-rules/" + id, null).status()).isEqualTo(404);

        assertThat(api.as(admin, "GET", "/api/v1/audit?user=otto", null).body().findValuesAsText("action"))
                .containsExactlyInAnyOrder("alert_rule_create", "alert_rule_update", "alert_rule_delete");
    }

    @Test
    void acknowledging_needs_an_operator_and_an_existing_alert() throws Exception {
        assertThat(api.as(viewer, "POST", "/api/v1/alerts/a-1/ack", "{}").status()).isEqualTo(403);
        assertThat(api.as(operator, "POST", "/api/v1/alerts/a-1/ack", "{\"comment\":\"looking\"}").status()).isEqualTo(404);
        assertThat(api.as(operator, "POST", "/api/v1/alerts/a-1/ack", "{\"comment\":5}").errorMessage()).isEqualTo("comment must be text");
        assertThat(api.as(viewer, "GET", "/api/v1/alerts?state=open", null).status()).isEqualTo(400);
        assertThat(api.as(viewer, "GET", "/api/v1/alerts", null).body()).isEmpty();
    }

    @Test
    void server_and_tag_scopes_are_kept_as_given() throws Exception {
        String id = hub.servers().create("db-01", List.of("db")).id();
        Api.Response created = api.as(operator, "POST", "/api/v1/alert-rules",
                "{\"name\":\"db down\",\"kind\":\"offline\",\"scope\":{\"server_ids\":[\"" + id + "\"],\"tags\":[\"db\"]}}");

        assertThat(created.body().path("scope").path("server_ids").get(0).asText()).isEqualTo(id);
        assertThat(created.body().path("scope").path("tags").get(0).asText()).isEqualTo("db");
        assertThat(created.body().has("metric")).isFalse();
    }
}
