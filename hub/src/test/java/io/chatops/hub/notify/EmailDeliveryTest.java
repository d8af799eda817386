package io.chatops.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts by e-mail to a real SMTP server (GreenMail, in this JVM, on loopback), read back as their recipients get them. */
class EmailDeliveryTest {
    @TempDir
    Path dataDir;

    FiringHub firing;
    GreenMail smtp;

    @BeforeEach
    void start() throws Exception {
        firing = new FiringHub(dataDir);
    }

    @AfterEach
    void stop() {
        firing.close();
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** GreenMail on a free loopback port, with the hub's login: hub / s3cret-pass. */
    void startSmtp(String protocol) {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol));
        smtp.start();
        smtp.setUser("hub@example.com", "hub", "s3cret-pass");
    }

    String emailChannel(int port, String tls, String password) throws Exception {
        return firing.channel("""
                {"name":"ops mail","type":"email","config":{"smtp_host":"127.0.0.1","smtp_port":%d,"tls":"%s",
                 "username":"hub","password":"%s","from":"ChatOps <hub@example.com>","to":["ops@example.com","oncall@example.com"]}}"""
                .formatted(port, tls, password)).path("id").asText();
    }

    @Test
    void a_firing_and_a_resolved_alert_arrive_as_plain_text_and_html_and_the_password_is_never_shown_again() throws Exception {
        startSmtp(ServerSetup.PROTOCOL_SMTP);
        String id = emailChannel(smtp.getSmtp().getPort(), "none", "s3cret-pass");
        JsonNode read = firing.api.as(firing.operator, "GET", "/api/v1/notification-channels/" + id, null).body();
        assertThat(read.path("config").path("password").asText()).isEqualTo("…");
        assertThat(read.toString()).doesNotContain("s3cret-pass");
        firing.rule(id);

        firing.cpu(99);
        firing.cpu(20);

        awaitMails(4); // two mails, each in two mailboxes
        MimeMessage first = smtp.getReceivedMessages()[0];
        assertThat(first.getSubject()).isEqualTo("[ChatOps] Firing: cpu_percent on web-01 is 99 (> 90)");
        assertThat(first.getFrom()[0].toString()).isEqualTo("ChatOps <hub@example.com>");
        Multipart parts = (Multipart) first.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("Severity: critical", "Server: web-01",
                "Open in ChatOps: http://", "/#/servers/" + firing.serverId);
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<strong>Firing</strong>: cpu_percent on web-01 is 99 (&gt; 90)");
        assertThat(List.of(smtp.getReceivedMessages()).stream().map(this::subject))
                .containsExactlyInAnyOrder(first.getSubject(), first.getSubject(),
                        "[ChatOps] Resolved: cpu_percent on web-01 is 20 (> 90)", "[ChatOps] Resolved: cpu_percent on web-01 is 20 (> 90)");
        JsonNode sent = firing.deliveries("state=sent&channel_id=" + id, row -> row.path("event").asText().equals("alert.resolved"));
        assertThat(first.getMessageID()).as("a retry would be the same mail").isEqualTo("<" + sent.get(1).path("id").asText() + "@chatops-hub>");

        JsonNode patched = firing.api.as(firing.operator, "PATCH", "/api/v1/notification-channels/" + id,
                "{\"config\":{\"to\":[\"night@example.com\"]}}").body();
        assertThat(patched.path("config").path("to").get(0).asText()).isEqualTo("night@example.com");
        assertThat(firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + id + "/test", null).status())
                .as("the password was kept").isEqualTo(200);
        assertThat(smtp.getReceivedMessages()[4].getSubject()).isEqualTo("[ChatOps] Test from ChatOps: a test notification for channel ops mail");
    }

    @Test
    void a_refused_login_fails_at_once_and_a_server_that_is_down_is_tried_again() throws Exception {
        startSmtp(ServerSetup.PROTOCOL_SMTP);
        String wrong = emailChannel(smtp.getSmtp().getPort(), "none", "wrong-pass");

        var refused = firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + wrong + "/test", null);
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.errorMessage()).startsWith("the receiver did not take it: the SMTP server refused the login");

        int port = smtp.getSmtp().getPort();
        smtp.stop();
        String down = emailChannel(port, "none", "s3cret-pass");
        firing.rule(down);
        firing.cpu(99);
        JsonNode pending = firing.deliveries("state=pending&channel_id=" + down, row -> row.path("attempts").asInt() > 0);
        assertThat(pending.get(0).path("last_error").asText()).startsWith("cannot reach the SMTP server: ConnectException");
    }

    @Test
    void starttls_is_required_never_skipped_when_the_server_does_not_offer_it() throws Exception {
        startSmtp(ServerSetup.PROTOCOL_SMTP); // GreenMail offers no STARTTLS
        String id = emailChannel(smtp.getSmtp().getPort(), "starttls", "s3cret-pass");

        var refused = firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + id + "/test", null);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.errorMessage()).contains("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void implicit_tls_checks_the_certificate_of_the_server_it_names() throws Exception {
        Path keystore = dataDir.resolve("smtp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
        startSmtp(ServerSetup.PROTOCOL_SMTPS);
        String id = emailChannel(smtp.getSmtps().getPort(), "tls", "s3cret-pass");

        var untrusted = firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + id + "/test", null);
        assertThat(untrusted.status()).as("a certificate nobody vouches for is refused").isEqualTo(502);
        assertThat(untrusted.errorMessage()).contains("unable to find valid certification path");

        SSLContext before = SSLContext.getDefault();
        try {
            SSLContext.setDefault(trusting(keystore));
            var trusted = firing.api.as(firing.operator, "POST", "/api/v1/notification-channels/" + id + "/test", null);
            assertThat(trusted.status()).as(trusted.body().toString()).isEqualTo(200);
            awaitMails(2);
        } finally {
            SSLContext.setDefault(before);
        }
    }

    private void awaitMails(int count) throws InterruptedException {
        long deadline = System.nanoTime() + FiringHub.WAIT.toNanos();
        while (smtp.getReceivedMessages().length < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(smtp.getReceivedMessages()).hasSize(count);
    }

    /** A TLS context that trusts the certificate in {@code keystore}, as a server's trust store would after the admin added it. */
    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
