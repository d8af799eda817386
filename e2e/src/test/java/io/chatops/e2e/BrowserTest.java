package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web interface in Debian's Chromium against the real hub jar and a real agent with Docker:
 * what a user does, clicked through. A failure leaves a screenshot and the console log in
 * {@code e2e/target/browser/}.
 */
class BrowserTest {
    @TempDir
    Path dir;

    RealHub hub;
    Browser browser;
    String serverId;
    String container;

    @RegisterExtension
    final AfterTestExecutionCallback evidence = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.saveEvidence(context.getRequiredTestMethod().getName() + "-failed");
        }
    };

    @BeforeEach
    void start() throws Exception {
        hub = new RealHub(dir);
        container = hub.startContainer("chatops-browser");
        browser = new Browser(dir.resolve("browser-profile"));
    }

    /** The agent reports the test container, so the server has everything the pages show. */
    void awaitContainerReported() throws Exception {
        eventually("the agent reports the container", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/containers", hub.admin,
                null, 200), list -> list.path("containers").toString().contains(container));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        hub.close();
    }

    void signIn(String username, String password) {
        browser.open(hub.url() + "/");
        browser.find("input[name=username]").sendKeys(username);
        browser.find("input[name=password]").sendKeys(password);
        browser.find("button[type=submit]").click();
        browser.find("header.top");
    }

    void openTab(String label) {
        browser.button(browser.find("nav.tabs"), label).click();
    }

    WebElement containerRow() {
        return browser.find("tr[data-container='" + container + "']");
    }

    void confirm(String label) {
        browser.button(browser.find("dialog[open]"), label).click();
    }

    @Test
    void an_admin_adds_watches_and_operates_a_server() throws Exception {
        signIn("admin", RealHub.ADMIN_PASSWORD);
        browser.waitForText("[data-live]", "Live");
        browser.button("Add server").click();
        WebElement dialog = browser.find("dialog[open]");
        dialog.findElement(By.cssSelector("input")).sendKeys("e2e-web");
        browser.button(dialog, "Add server").click();
        String agentKey = browser.find("[data-testid=new-key]").getText();
        assertThat(agentKey).startsWith("cok_");
        assertThat(browser.find("[data-testid=quick-start]").getText())
                .contains(hub.url() + "/downloads/chatops-agent").contains("-api-key " + agentKey + " -api-url " + hub.url());
        assertThat(browser.find("[data-testid=deb-install]").getText())
                .contains(hub.url() + "/downloads/chatops-agent.deb", "sudo apt install ./chatops-agent.deb", "'" + agentKey + "'");
        browser.waitForText("[data-testid=agent-status]", "Waiting for the agent");
        serverId = hub.call("GET", "/api/v1/servers", hub.admin, null, 200).get(0).path("id").asText();
        hub.startAgent(agentKey);
        browser.waitForText("[data-testid=agent-status]", "The agent is connected");
        browser.screenshot("add-server");
        browser.button(browser.find("dialog[open]"), "Close").click();
        awaitContainerReported();
        browser.waitForText("tr[data-server='e2e-web'] [data-status]", "Online");
        browser.screenshot("servers");

        browser.find("tr[data-server='e2e-web'] a").click();
        browser.waitForText("#server-title", "e2e-web");
        WebElement cpuChart = browser.find(".chart-plot canvas").findElement(By.xpath("./ancestor::div[contains(@class,'chart-plot')]"));
        int points = browser.until(d -> {
            int n = Integer.parseInt(cpuChart.getAttribute("data-points"));
            return n >= 1 ? n : null;
        }, "points in the CPU chart");
        browser.until(d -> Integer.parseInt(cpuChart.getAttribute("data-points")) > points ? true : null,
                "the CPU chart to grow with a live sample");
        Object painted = browser.driver.executeScript("""
                const canvas = document.querySelector('.chart-plot canvas');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let count = 0;
                for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
                return count;""");
        assertThat(((Number) painted).longValue()).as("pixels drawn on the CPU chart").isPositive();
        browser.screenshot("metrics");
        browser.driver.executeScript("document.querySelector('figure[aria-label=Network]').scrollIntoView()");
        browser.screenshot("network");
        // What this machine's kernel tells beyond the first four metrics: its disk's I/O, pressure stalls, TCP connections.
        browser.find("figure[aria-label='Disk I/O']");
        browser.find("figure[aria-label='Pressure (share of time stalled)']");
        browser.waitForText("[data-testid=current-tcp]", "established");
        assertThat(browser.find("table caption").getText()).isEqualTo("Filesystems");
        browser.until(d -> d.findElements(By.xpath("//table[caption='Block devices']//td")).isEmpty() ? null : true,
                "the block devices with their filesystems");
        browser.driver.executeScript("document.querySelector('figure[aria-label=\"Disk I/O\"]').scrollIntoView()");
        browser.screenshot("disk-io");
        browser.driver.executeScript("window.scrollTo(0, 0)");

        // The processes behind the figures, measured by the real agent when the tab asks.
        browser.button(browser.find("nav.tabs"), "Processes").click();
        browser.waitForText("[data-testid=processes-taken]", "processes at");
        assertThat(browser.driver.findElements(By.cssSelector("table.processes tr[data-pid]"))).isNotEmpty();
        browser.button(browser.find("[aria-label=Order]"), "By memory").click();
        browser.until(d -> d.findElement(By.cssSelector("table.processes tbody tr td.command")).getText().contains("java") ? true : null,
                "the biggest process by memory: a JVM (the hub's or the agent's)");
        browser.screenshot("processes");
        browser.button(browser.find("nav.tabs"), "Metrics").click();
        browser.find(".chart-plot canvas");

        // The server's own sample interval: the real agent adopts it without reconnecting.
        String onlineSince = hub.call("GET", "/api/v1/servers/" + serverId, hub.admin, null, 200).path("online_since").asText();
        browser.waitForText("[data-testid=sample-interval]", "A sample every 5 s (the hub's default)");
        browser.screenshot("sample-interval");
        WebElement interval = browser.find("form[aria-label='Sample interval'] input");
        interval.sendKeys("2");
        browser.button(browser.find("form[aria-label='Sample interval']"), "Save").click();
        browser.waitForText("[data-testid=sample-interval]", "A sample every 2 s (this server’s own)");
        eventually("the agent samples every 2 s", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/metrics/latest",
                hub.admin, null, 200).path("interval_seconds").asInt(), seconds -> seconds == 2);
        assertThat(hub.call("GET", "/api/v1/servers/" + serverId, hub.admin, null, 200).path("online_since").asText())
                .as("the same link").isEqualTo(onlineSince);
        browser.find("form[aria-label='Sample interval'] input").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.button(browser.find("form[aria-label='Sample interval']"), "Save").click();
        browser.waitForText("[data-testid=sample-interval]", "A sample every 5 s (the hub's default)");

        openTab("Commands");
        WebElement input = browser.find("input[name=command]");
        input.sendKeys("echo hello", Keys.ENTER);
        browser.waitForText(".run [data-testid=run-outcome]", "exit 0");
        browser.waitForText(".run [data-testid=command-output]", "hello");
        browser.find("input[name=command]").sendKeys(Keys.ARROW_UP);
        assertThat(browser.find("input[name=command]").getDomProperty("value")).as("up recalls the last command").isEqualTo("echo hello");
        // Not clear(): it empties the field behind React's back, which then keeps its own value ("echo hello") and
        // the next keys were appended to it now and then ("echo hellofor i in …").
        browser.find("input[name=command]").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.find("input[name=command]").sendKeys("for i in 1 2 3; do echo line $i; sleep 1; done", Keys.ENTER);
        browser.until(d -> {
            List<WebElement> runs = browser.all(".run");
            WebElement last = runs.get(runs.size() - 1);
            return last.getAttribute("data-status").equals("running") && last.getText().contains("line 1") ? true : null;
        }, "output streaming in while the command runs");
        browser.until(d -> {
            List<WebElement> runs = browser.all(".run");
            String text = runs.get(runs.size() - 1).getText();
            return text.contains("exit 0") && text.contains("line 3") ? true : null;
        }, "the streamed command to end");
        browser.waitForText("table", "echo hello");
        browser.screenshot("commands");

        openTab("Containers");
        browser.button(containerRow(), "Stop").click();
        confirm("Stop");
        browser.until(d -> containerRow().getText().contains("exited") ? true : null, "the container to be exited");
        browser.button(containerRow(), "Start").click();
        browser.until(d -> containerRow().findElement(By.cssSelector("[data-testid=container-state]")).getText().equals("running")
                ? true : null, "the container to run again");
        String before = TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f", "{{.State.StartedAt}}", container).trim();
        browser.button(containerRow(), "Restart").click();
        confirm("Restart");
        eventually("Docker restarted the container", () -> TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f",
                "{{.State.StartedAt}}", container).trim(), after -> !after.equals(before));
        browser.until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty() ? true : null, "the dialog to close");
        assertThat(containerRow().findElement(By.cssSelector("[data-testid=container-state]")).getText()).isEqualTo("running");
        browser.button(containerRow(), "Logs").click();
        browser.waitForText(".logs pre", "container started");
        browser.screenshot("containers");

        // The container's own history (its CPU and memory stored with each sample), and the actions above as chart markers.
        eventually("the container's CPU in the history", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/metrics", hub.admin,
                null, 200).path("containers").path(container).path("cpu_percent").toString(), cpu -> cpu.matches(".*\\d.*"));
        browser.button(containerRow(), "History").click();
        browser.until(d -> {
            List<WebElement> empty = d.findElements(By.cssSelector(".container-history figure .chart-empty"));
            return d.findElements(By.cssSelector(".container-history figure")).size() == 2 && empty.isEmpty() ? true : null;
        }, "the container's CPU and memory charts with data");
        browser.screenshot("container-history");
        openTab("Metrics");
        browser.until(d -> d.findElements(By.cssSelector("figure[aria-label=CPU] .chart-marker[data-kind=container_restart]")).isEmpty()
                ? null : true, "the restart as a marker on the CPU chart");
        assertThat(browser.find("figure[aria-label=CPU] .chart-marker[data-kind=command]").getAttribute("title"))
                .contains("Command by admin").contains("echo hello — succeeded (exit 0)");
        browser.screenshot("event-markers");

        openTab("API keys");
        browser.find("form[aria-label='New API key'] input").sendKeys("browser-key");
        browser.button("Create key").click();
        browser.waitForText("[data-testid=new-key]", "cok_");
        WebElement keyRow = browser.find("tr[data-key='browser-key']");
        assertThat(keyRow.findElement(By.cssSelector("[data-testid=key-state]")).getText()).isEqualTo("Active");
        browser.button(keyRow, "Revoke").click();
        confirm("Revoke");
        browser.waitForText("tr[data-key='browser-key'] [data-testid=key-state]", "Revoked");
        JsonNode keys = hub.call("GET", "/api/v1/servers/" + serverId + "/api-keys", hub.admin, null, 200);
        assertThat(keys.findValuesAsText("name")).contains("browser-key");
        for (JsonNode key : keys) {
            if (key.path("name").asText().equals("browser-key")) {
                assertThat(key.path("revoked").asBoolean()).isTrue();
            }
        }
        browser.screenshot("keys");

        // The page says when it is not live, and comes back by itself.
        hub.hub.destroy();
        browser.until(d -> d.findElement(By.cssSelector("[data-live]")).getAttribute("data-live").equals("live") ? null : true,
                "the page to say it is not live");
        hub.restartHub();
        browser.waitForText("[data-live]", "Live");
    }

    @Test
    void a_viewer_sees_no_actions_and_the_api_refuses_them_anyway() throws Exception {
        JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"e2e-web\",\"tags\":[\"e2e\"]}", 201);
        serverId = created.path("server").path("id").asText();
        hub.startAgent(created.path("api_key").path("key").asText());
        awaitContainerReported();
        hub.call("POST", "/api/v1/users", hub.admin, "{\"username\":\"vic\",\"password\":\"viewer password\",\"role\":\"viewer\"}", 201);
        signIn("vic", "viewer password");
        browser.waitForText("tr[data-server='e2e-web'] [data-status]", "Online");
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).containsExactly("Servers", "Alerts", "Chat", "Account");
        assertThat(browser.driver.findElements(By.xpath("//button[normalize-space()='Add server']"))).isEmpty();

        browser.find("tr[data-server='e2e-web'] a").click();
        browser.find("nav.tabs");
        assertThat(browser.all("nav.tabs a")).extracting(WebElement::getText).containsExactly("Metrics", "Processes", "Containers", "Commands");
        openTab("Containers");
        assertThat(containerRow().findElements(By.tagName("button"))).extracting(WebElement::getText).containsExactly("History", "Logs");
        openTab("Commands");
        browser.waitForText(".tab-panel", "may read the command history but not run commands");
        assertThat(browser.all("input[name=command]")).isEmpty();
        browser.screenshot("viewer");

        browser.button("Dark").click();
        assertThat(browser.driver.executeScript("return document.documentElement.dataset.theme")).isEqualTo("dark");
        openTab("Metrics");
        browser.find(".chart-plot canvas");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.until(d -> ((Number) browser.driver.executeScript("return window.innerWidth")).intValue() <= 400 ? true : null,
                "a phone-sized window");
        assertThat(((Number) browser.driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("nothing wider than a phone's screen").isLessThanOrEqualTo(0);
        browser.driver.executeScript("document.querySelector('.chart').scrollIntoView()");
        browser.screenshot("phone-dark");

        // The page hides the buttons; the hub refuses the requests whatever sends them.
        Object statuses = browser.async("""
                const done = arguments[arguments.length - 1];
                const [server, container] = arguments;
                (async () => {
                  const me = await (await fetch('/api/v1/auth/me')).json();
                  const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token };
                  const restart = await fetch(`/api/v1/servers/${server}/containers/${container}/restart`, { method: 'POST', headers });
                  const command = await fetch(`/api/v1/servers/${server}/commands`,
                    { method: 'POST', headers, body: JSON.stringify({ command: 'echo no' }) });
                  done([restart.status, command.status]);
                })().catch((e) => done(String(e)));""", serverId, container);
        assertThat(statuses.toString()).isEqualTo("[403, 403]");
        assertThat(hub.call("GET", "/api/v1/servers/" + serverId + "/commands", hub.admin, null, 200)).isEmpty();

        // The session ends behind the page's back: the next request sends it to sign-in, and then back here.
        String page = browser.driver.getCurrentUrl();
        browser.async("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/auth/me').then((r) => r.json()).then((me) => fetch('/api/v1/auth/logout',
                  { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } })).then((r) => done(r.status));""");
        openTab("Containers");
        browser.waitForText(".sign-in", "Your session has ended");
        browser.find("input[name=username]").sendKeys("vic");
        browser.find("input[name=password]").sendKeys("viewer password");
        browser.find("button[type=submit]").click();
        browser.find("nav.tabs");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(page.replace("/metrics", "/containers"));
    }
}
