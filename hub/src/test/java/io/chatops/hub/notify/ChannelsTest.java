package io.chatops.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Channel validation, secrets shown once, audit. */
class ChannelsTest {
    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String operator;
    String admin;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"webhook","config":{"url":"http://127.0.0.1/x"}}                               | name must be text of 1 to 128 characters
            {"name":"x","type":"sms","config":{}}                                                   | type must be one of webhook, slack, mattermost, email, alertmanager
            {"name":"x","type":"email","config":{}}                                                 | config.smtp_host must be a host name or address
            {"name":"x","type":"email","config":{"smtp_host":"mail; rm","from":"a@b.c","to":["d@e.f"]}} | config.smtp_host must be a host name or address
            {"name":"x","type":"email","config":{"smtp_host":"m","smtp_port":0,"from":"a@b.c","to":["d@e.f"]}} | config.smtp_port must be a whole number from 1 to 65535
            {"name":"x","type":"email","config":{"smtp_host":"m","tls":"ssl","from":"a@b.c","to":["d@e.f"]}} | config.tls must be one of none, starttls, tls
            {"name":"x","type":"email","config":{"smtp_host":"m","password":"p","from":"a@b.c","to":["d@e.f"]}} | config.password needs config.username
            {"name":"x","type":"email","config":{"smtp_host":"m","from":"nobody","to":["d@e.f"]}}    | config.from must be one e-mail address such as ops@example.com
            {"name":"x","type":"email","config":{"smtp_host":"m","from":"a@b.c","to":[]}}            | config.to must be a list of 1 to 50 e-mail addresses
            {"name":"x","type":"email","config":{"smtp_host":"m","from":"a@b.c","to":["d@e.f, g@h.i"]}} | config.to[0] must be one e-mail address such as ops@example.com
            {"name":"x","type":"email","config":{"smtp_host":"m","from":"a@b.c\\nBcc: x@y.z","to":["d@e.f"]}} | config.from must be one e-mail address such as ops@example.com
            {"name":"x","type":"alertmanager","config":{"url":"am:9093"}}                          | config.url must be an http(s) URL with a host
            {"name":"x","type":"webhook"}                                                           | config must be an object
            {"name":"x","type":"webhook","config":{"url":"ftp://h/x"}}                              | config.url must be an http(s) URL with a host
            {"name":"x","type":"webhook","config":{"url":7}}                                        | config.url must be an http(s) URL
            {"name":"x","type":"webhook","config":{"url":"http://h/x","secret":"abc"}}              | config.secret must be whsec_ followed by at least 16 bytes in base64
            {"name":"x","type":"slack","config":{"url":"http://h/x"}}                               | config.webhook_url must be an http(s) URL
            {"name":"x","type":"mattermost","config":{"webhook_url":"http://h/x"},"enabled":"no"}   | enabled must be true or false
            """)
    void bad_channels_are_refused_naming_the_field(String body, String message) throws Exception {
        Api.Response refused = api.as(operator, "POST", "/api/v1/notification-channels", body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).isEqualTo(message);
    }

    @Test
    void a_given_secret_is_kept_the_type_cannot_change_and_every_change_is_audited() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        Api.Response created = api.as(operator, "POST", "/api/v1/notification-channels",
                "{\"name\":\"ops\",\"type\":\"webhook\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + secret + "\"}}");
        String id = created.body().path("id").asText();
        assertThat(created.body().path("config").path("secret").asText()).isEqualTo(secret);

        Api.Response renamed = api.as(operator, "PATCH", "/api/v1/notification-channels/" + id, "{\"name\":\"ops 2\",\"enabled\":false}");
        assertThat(renamed.body().path("name").asText()).isEqualTo("ops 2");
        assertThat(renamed.body().path("enabled").asBoolean()).isFalse();
        assertThat(renamed.body().path("config").path("secret").asText()).isEqualTo("whsec_…LaSw");
        assertThat(api.as(operator, "PATCH", "/api/v1/notification-channels/" + id, "{\"type\":\"slack\"}").errorMessage())
                .isEqualTo("type cannot change; create another channel");
        assertThat(api.as(operator, "DELETE", "/api/v1/notification-channels/" + id, null).status()).isEqualTo(204);

        assertThat(api.as(admin, "GET", "/api/v1/audit?user=otto", null).body().findValuesAsText("action"))
                .containsExactlyInAnyOrder("channel_create", "channel_update", "channel_delete");
        assertThat(api.as(admin, "GET", "/api/v1/audit?user=otto", null).raw().body()).doesNotContain(secret);
    }

    @Test
    void an_alertmanager_behind_a_proxy_gets_its_login_from_the_url_which_is_never_shown_again() throws Exception {
        try (Receiver proxy = new Receiver(0)) {
            Api.Response created = api.as(operator, "POST", "/api/v1/notification-channels", "{\"name\":\"am\",\"type\":\"alertmanager\","
                    + "\"config\":{\"url\":\"http://ops:s3cret@127.0.0.1:" + proxy.port() + "/am/\"}}");
            String id = created.body().path("id").asText();
            assertThat(api.as(operator, "GET", "/api/v1/notification-channels/" + id, null).body().path("config").path("url").asText())
                    .isEqualTo("http://ops:…@127.0.0.1:" + proxy.port() + "/am/");

            assertThat(api.as(operator, "POST", "/api/v1/notification-channels/" + id + "/test", null).status()).isEqualTo(200);

            Receiver.Request posted = proxy.received.get(0);
            assertThat(posted.path()).isEqualTo("/am/api/v2/alerts");
            assertThat(posted.header("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("ops:s3cret".getBytes()));
            assertThat(Api.JSON.readTree(posted.body()).get(0).path("endsAt").asText()).isNotEmpty();
        }
    }
}
