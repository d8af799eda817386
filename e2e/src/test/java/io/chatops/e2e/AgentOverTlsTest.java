package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent reports over wss to the real hub serving TLS with a certificate made by
 * openssl: with the hub's certificate in the trust store named by CHATOPS_JAVA_OPTS it connects;
 * without, it refuses the hub and says why.
 */
class AgentOverTlsTest {
    @TempDir
    Path dir;

    @Test
    void the_agent_reports_over_wss_and_refuses_a_hub_it_does_not_trust() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path trustStore = dir.resolve("trust.p12");
        TestMachineTest.run("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        TestMachineTest.run(System.getProperty("java.home") + "/bin/keytool", "-importcert", "-noprompt", "-alias", "hub",
                "-file", cert.toString(), "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");

        try (RealHub hub = new RealHub(dir, List.of(), List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()),
                trusting(cert))) {
            assertThat(hub.url()).startsWith("https://");
            JsonNode trusted = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"over-tls\"}", 201);
            String trustedId = trusted.path("server").path("id").asText();
            JsonNode untrusted = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"not-trusting\"}", 201);
            String untrustedId = untrusted.path("server").path("id").asText();

            hub.startAgent(trusted.path("api_key").path("key").asText(), "trusting", Map.of("CHATOPS_JAVA_OPTS",
                    "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=changeit"));
            hub.startAgent(untrusted.path("api_key").path("key").asText(), "untrusting", Map.of());

            eventually("the trusting agent reports over wss", () -> hub.server(trustedId),
                    server -> server.path("status").asText().equals("online") && !server.path("latest").isNull());
            String refusal = eventually("the other agent says why it does not connect",
                    () -> Files.readString(dir.resolve("untrusting.log")), log -> log.contains("cannot reach the hub"), Duration.ofSeconds(30));
            assertThat(refusal).contains("wss://127.0.0.1:" + hub.port).contains("SSLHandshakeException");
            TimeUnit.SECONDS.sleep(2);
            assertThat(hub.server(untrustedId).path("status").asText()).isNotEqualTo("online");
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(cert)));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
