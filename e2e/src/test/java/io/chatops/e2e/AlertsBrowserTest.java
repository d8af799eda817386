package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Alerts in Chromium against the real hub and agent: a signed webhook channel and its test, a rule
 * made in the form, the alert firing from the agent's real samples, shown on the server's CPU chart,
 * acknowledged, and resolved.
 */
class AlertsBrowserTest {
    @TempDir
    Path dir;

    RealHub hub;
    Browser browser;
    HttpServer receiver;
    final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback evidence = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.saveEvidence(context.getRequiredTestMethod().getName() + "-failed");
        }
    };

    @BeforeEach
    void start() throws Exception {
        hub = new RealHub(dir);
        browser = new Browser(dir.resolve("browser-profile"));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(Map.of("id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
                    "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        receiver.stop(0);
        hub.close();
    }

    Map<String, String> awaitEvent(String event) throws Exception {
        return eventually("a " + event + " at the webhook", () -> received.stream()
                .filter(r -> r.get("body").contains("\"event\":\"" + event + "\"")).findFirst().orElse(null), found -> found != null);
    }

    static String signature(String secret, Map<String, String> request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                (request.get("id") + "." + request.get("timestamp") + "." + request.get("body")).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void an_operator_sets_up_a_webhook_and_a_rule_and_acknowledges_the_alert_it_fires() throws Exception {
        JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"e2e-alerts\"}", 201);
        String serverId = created.path("server").path("id").asText();
        hub.startAgent(created.path("api_key").path("key").asText());
        browser.open(hub.url() + "/");
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(RealHub.ADMIN_PASSWORD);
        browser.find("button[type=submit]").click();
        browser.find("header.top");

        browser.button(browser.find("header nav"), "Alerts").click();
        browser.waitForText(".tab-panel", "Nothing is firing.");
        browser.button(browser.find("nav.tabs"), "Channels").click();
        WebElement channelForm = browser.find("form[aria-label='New channel']");
        channelForm.findElement(By.cssSelector("input")).sendKeys("ops hook");
        new Select(channelForm.findElement(By.cssSelector("select"))).selectByValue("webhook");
        channelForm.findElement(By.cssSelector("input[type=url]")).sendKeys("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        browser.button(channelForm, "Add channel").click();
        String secret = browser.find("[data-testid=new-key]").getText();
        assertThat(secret).startsWith("whsec_");
        browser.button(browser.find("tr[data-channel='ops hook']"), "Send test").click();
        browser.waitForText("[role=status]", "The test reached ops hook.");
        assertThat(signature(secret, awaitEvent("test"))).isEqualTo(awaitEvent("test").get("signature"));
        browser.screenshot("alert-channels");

        browser.button(browser.find("nav.tabs"), "Rules").click();
        WebElement ruleForm = browser.find("form[aria-label='New alert rule']");
        ruleForm.findElement(By.cssSelector("input")).sendKeys("CPU seen");
        List<WebElement> selects = ruleForm.findElements(By.cssSelector("select"));
        new Select(selects.get(1)).selectByValue("cpu_percent");
        new Select(selects.get(2)).selectByVisibleText(">=");
        WebElement threshold = ruleForm.findElement(By.cssSelector("input[type=number][step=any]"));
        threshold.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), "0");
        WebElement forSeconds = ruleForm.findElement(By.cssSelector("input[type=number][min='0']"));
        forSeconds.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), "0");
        ruleForm.findElement(By.cssSelector("fieldset input[type=checkbox]")).click();
        browser.button(ruleForm, "Preview").click();
        browser.waitForText("[data-testid=rule-preview]", "Covers 1 server. Breaks it now: e2e-alerts (");
        browser.button(ruleForm, "Add rule").click();
        browser.waitForText("tr[data-rule='CPU seen']", "CPU % >= 0");
        browser.screenshot("alert-rules");

        browser.button(browser.find("nav.tabs"), "Alerts").click();
        browser.waitForText("tr[data-state=firing]", "cpu_percent on e2e-alerts");
        Map<String, String> firing = awaitEvent("alert.firing");
        assertThat(firing.get("signature")).isEqualTo(signature(secret, firing));
        browser.button(browser.find("tr[data-state=firing]"), "Acknowledge").click();
        browser.waitForText("tr[data-state=firing]", "admin,");
        browser.screenshot("alerts");

        browser.open(hub.url() + "/#/servers");
        browser.waitForText("tr[data-server='e2e-alerts'] [data-firing]", "1 firing");
        browser.open(hub.url() + "/#/servers/" + serverId);
        browser.waitForText(".server-alerts", "Firing");
        browser.waitForText("figure[aria-label=CPU] .chart-alerts", "▲ Firing: CPU seen, warning, since");
        assertThat(browser.find("figure[aria-label=CPU] .chart-plot").getDomAttribute("data-alert-bands")).isEqualTo("1");
        assertThat(browser.find("figure[aria-label='Memory and swap'] .chart-plot").getDomAttribute("data-alert-bands"))
                .as("a CPU alert is not about memory").isEqualTo("0");
        browser.screenshot("alert-on-chart");

        browser.open(hub.url() + "/#/alerts/rules");
        browser.button(browser.find("tr[data-rule='CPU seen']"), "Disable").click();
        Map<String, String> resolved = awaitEvent("alert.resolved");
        assertThat(resolved.get("id")).isNotEqualTo(firing.get("id"));
        assertThat(hub.call("GET", "/api/v1/alerts?state=resolved", hub.admin, null, 200).get(0).path("acknowledged_by").asText())
                .isEqualTo("admin");
        browser.open(hub.url() + "/#/servers/" + serverId);
        browser.waitForText("figure[aria-label=CPU] .chart-alerts", "△ Fired: CPU seen, warning, ");
    }
}
