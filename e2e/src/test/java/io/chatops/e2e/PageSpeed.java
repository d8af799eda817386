package io.chatops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.By;

/**
 * How fast the web interface is in Debian's headless Chromium against the real hub jar, with one
 * real agent and {@code SERVERS} more servers enrolled: sign-in page load, the server list drawn,
 * a server's charts drawn for live 15 min and for 24 h, and the page's JavaScript heap after
 * a minute of live updates. Run with {@code scripts/bench-web [SERVERS]}; prints medians.
 */
public final class PageSpeed {
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path dir = Files.createTempDirectory("chatops-page-speed");
        try (RealHub hub = new RealHub(dir)) {
            JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"bench-real\"}", 201);
            String serverId = created.path("server").path("id").asText();
            hub.startAgent(created.path("api_key").path("key").asText());
            for (int i = 0; i < servers; i++) {
                hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"bench-" + i + "\",\"tags\":[\"t" + (i % 7) + "\"]}", 201);
            }
            RealHub.eventually("the agent reports", () -> hub.server(serverId), s -> !s.path("latest").isNull());
            Thread.sleep(30_000); // a few samples for the charts

            List<Double> signInPage = new ArrayList<>();
            List<Double> serverList = new ArrayList<>();
            List<Double> liveCharts = new ArrayList<>();
            List<Double> dayCharts = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                try (Browser browser = new Browser(dir.resolve("profile-" + run))) {
                    browser.open(hub.url() + "/");
                    browser.find("input[name=username]");
                    signInPage.add(number(browser, "return performance.now()"));
                    browser.find("input[name=username]").sendKeys("admin");
                    browser.find("input[name=password]").sendKeys(RealHub.ADMIN_PASSWORD);
                    double clicked = number(browser, "return performance.now()");
                    browser.find("button[type=submit]").click();
                    browser.until(d -> d.findElements(By.cssSelector("table.servers tbody tr")).size() == servers + 1 ? true : null,
                            "every server listed");
                    serverList.add(number(browser, "return performance.now()") - clicked);

                    double opened = number(browser, "return performance.now()");
                    browser.driver.executeScript("location.hash = arguments[0]", "#/servers/" + serverId + "/metrics");
                    awaitCharts(browser);
                    liveCharts.add(number(browser, "return performance.now()") - opened);

                    double switched = number(browser, "return performance.now()");
                    browser.button("24 h").click();
                    browser.until(d -> d.findElements(By.cssSelector("[data-testid=resolution]")).stream()
                            .anyMatch(e -> e.getText().contains("averages")) ? true : null, "the 24 h tier");
                    awaitCharts(browser);
                    dayCharts.add(number(browser, "return performance.now()") - switched);
                    if (run == RUNS - 1) {
                        browser.button("Live 15 min").click();
                        awaitCharts(browser);
                        double before = number(browser, "return performance.memory.usedJSHeapSize / 1048576");
                        Thread.sleep(60_000);
                        double after = number(browser, "return performance.memory.usedJSHeapSize / 1048576");
                        System.out.printf("JS heap on the live metrics page: %.1f MiB, after a minute of live updates %.1f MiB%n",
                                before, after);
                    }
                }
            }
            System.out.printf("servers: %d, runs: %d, fresh browser profile each (cold cache)%n", servers + 1, RUNS);
            System.out.printf("sign-in page ready after navigation start: %.0f ms%n", median(signInPage));
            System.out.printf("sign in -> list of %d servers drawn: %.0f ms%n", servers + 1, median(serverList));
            System.out.printf("server page -> 5 charts drawn (live 15 min, raw samples): %.0f ms%n", median(liveCharts));
            System.out.printf("24 h range -> 5 charts drawn (minute tier): %.0f ms%n", median(dayCharts));
        }
    }

    private static void awaitCharts(Browser browser) {
        browser.until(d -> d.findElements(By.cssSelector(".chart-plot canvas")).size() == 5 ? true : null, "five charts");
    }

    private static double number(Browser browser, String script) {
        return ((Number) browser.driver.executeScript(script)).doubleValue();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
