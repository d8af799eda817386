package io.chatops.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.TestAgent;
import io.chatops.hub.http.Tls;
import io.chatops.protocol.AuthSuccess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https and wss with PEM files made by openssl, as an operator would. */
class TlsTest {
    @TempDir
    Path dir;

    void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
    }

    void selfSigned(String key, String cert, String algorithm) throws Exception {
        openssl("req", "-x509", "-newkey", algorithm, "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    }

    HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(cert)));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    @Test
    void the_hub_serves_https_and_wss_with_pem_files() throws Exception {
        selfSigned("key.pem", "cert.pem", "ec:" + ecParams());
        HubOptions options = HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(),
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString()}, Map.of());
        assertThat(options.publicUrl().getScheme()).isEqualTo("https");

        try (Hub hub = Hub.start(options, Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), Clock.systemUTC())) {
            HttpClient client = trusting(dir.resolve("cert.pem"));
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.port() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + hub.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("no plain http on the TLS port").isInstanceOf(IOException.class);

            String serverId = hub.servers().create("web-01", List.of()).id();
            String key = hub.servers().createKey(serverId, "k", null).key();
            try (TestAgent agent = new TestAgent(client, URI.create("wss://127.0.0.1:" + hub.port() + "/api/v1/agents/ws"))) {
                assertThat(agent.auth(key).await(AuthSuccess.class).serverId()).isEqualTo(serverId);
            }
        }
    }

    /** An openssl client's handshake with the hub: whether it completed, and what openssl said. */
    record Handshake(boolean completed, String output) {
    }

    Handshake handshake(int port, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Handshake(process.exitValue() == 0 && out.contains("Cipher is ") && !out.contains("Cipher is (NONE)"), out);
    }

    @Test
    void only_tls_1_2_and_1_3_with_forward_secret_aead_ciphers_are_offered() throws Exception {
        selfSigned("key.pem", "cert.pem", "ec:" + ecParams());
        HubOptions options = HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(),
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString()}, Map.of());
        try (Hub hub = Hub.start(options, Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), Clock.systemUTC())) {
            int port = hub.port();
            assertThat(handshake(port, "-tls1_3").completed()).isTrue();
            assertThat(handshake(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256").completed()).isTrue();
            // The client is allowed the old protocols and suites (security level 0), so that only the hub can refuse them.
            for (String[] old : List.of(new String[] {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"},
                    new String[] {"-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"},
                    new String[] {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0"},
                    new String[] {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA384:@SECLEVEL=0"})) {
                Handshake refused = handshake(port, old);
                assertThat(refused.completed()).as(String.join(" ", old) + ": " + refused.output()).isFalse();
            }
        }
    }

    @Test
    void rsa_keys_work_too_and_unusable_files_are_named() throws Exception {
        selfSigned("rsa.pem", "rsa-cert.pem", "rsa:2048");
        assertThat(Tls.context(dir.resolve("rsa-cert.pem"), dir.resolve("rsa.pem"))).isNotNull();

        openssl("pkey", "-in", "rsa.pem", "-traditional", "-out", "old.pem");
        assertThatThrownBy(() -> Tls.context(dir.resolve("rsa-cert.pem"), dir.resolve("old.pem")))
                .hasMessageContaining("an old-style key; convert it with");
        Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> Tls.context(dir.resolve("junk.pem"), dir.resolve("rsa.pem")))
                .hasMessageStartingWith("invalid --tls-cert");
        selfSigned("other.pem", "other-cert.pem", "rsa:2048");
        assertThatThrownBy(() -> Tls.context(dir.resolve("rsa-cert.pem"), dir.resolve("other.pem")))
                .hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> HubOptions.parse(new String[] {"--tls-cert", dir.resolve("rsa-cert.pem").toString()}, Map.of()))
                .hasMessage("--tls-cert and --tls-key go together: give both, or neither for plain http");
        assertThatThrownBy(() -> HubOptions.parse(new String[] {"--tls-cert", "/nonexistent.pem", "--tls-key", "/x"}, Map.of()))
                .hasMessage("invalid --tls-cert \"/nonexistent.pem\": no readable file there");
    }

    private String ecParams() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-out", "ec.param");
        return dir.resolve("ec.param").toString();
    }
}
