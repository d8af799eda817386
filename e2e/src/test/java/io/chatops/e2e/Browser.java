package io.chatops.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, kept off every network but loopback.
 * Screenshots and the browser's console log go to {@code e2e/target/browser/}.
 */
final class Browser implements AutoCloseable {
    static final Path OUTPUT = Path.of("target/browser");
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // No background traffic: this machine allows loopback only.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--window-size=1280,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "an element " + css);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The button (or link) whose visible text is exactly {@code text}, inside {@code scope}. */
    WebElement button(WebElement scope, String text) {
        return until(d -> scope.findElements(By.xpath(".//button|.//a")).stream()
                .filter(e -> e.isDisplayed() && e.getText().trim().equals(text)).findFirst().orElse(null), "a button " + text);
    }

    WebElement button(String text) {
        return button(driver.findElement(By.tagName("body")), text);
    }

    <T> T until(Function<WebDriver, T> condition, String what) {
        return wait.withMessage(() -> "waiting for " + what).until(condition);
    }

    void waitForText(String css, String text) {
        until(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text)) ? true : null,
                "\"" + text + "\" in " + css);
    }

    /** Runs {@code script} (which calls its last argument with the result) in the page. */
    Object async(String script, Object... args) {
        return driver.executeAsyncScript(script, args);
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(OUTPUT);
        Files.write(OUTPUT.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Saves a screenshot and what the page wrote to its console, for a failed test. */
    void saveEvidence(String name) {
        try {
            screenshot(name);
            String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(entry -> entry.getTimestamp() + " " + entry.getLevel() + " " + entry.getMessage())
                    .collect(Collectors.joining("\n"));
            Files.writeString(OUTPUT.resolve(name + "-console.log"), console + "\nURL: " + driver.getCurrentUrl() + "\n");
        } catch (RuntimeException | IOException e) {
            System.err.println("could not save the browser's state: " + e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
