package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * The chat room in two Chromium profiles against the real hub and agent: one operator asks for a
 * command that needs approval, the other approves it with the button, and both see the server's
 * answer fill in; the requester cannot approve their own request.
 */
class ChatBrowserTest {
    @TempDir
    Path dir;

    RealHub hub;
    Browser alice;
    Browser bob;

    @RegisterExtension
    final AfterTestExecutionCallback evidence = context -> {
        if (context.getExecutionException().isPresent()) {
            if (alice != null) {
                alice.saveEvidence(context.getRequiredTestMethod().getName() + "-alice-failed");
            }
            if (bob != null) {
                bob.saveEvidence(context.getRequiredTestMethod().getName() + "-bob-failed");
            }
        }
    };

    @BeforeEach
    void start() throws Exception {
        hub = new RealHub(dir);
        alice = new Browser(dir.resolve("alice-profile"));
        bob = new Browser(dir.resolve("bob-profile"));
    }

    @AfterEach
    void stop() throws Exception {
        for (Browser browser : new Browser[] {alice, bob}) {
            if (browser != null) {
                browser.close();
            }
        }
        hub.close();
    }

    void signIn(Browser browser, String username, String password) {
        browser.open(hub.url() + "/#/chat");
        browser.find("input[name=username]").sendKeys(username);
        browser.find("input[name=password]").sendKeys(password);
        browser.find("button[type=submit]").click();
        browser.find("#chat-input");
    }

    void say(Browser browser, String text) {
        browser.find("#chat-input").sendKeys(text, Keys.ENTER);
    }

    @Test
    void one_operator_asks_another_approves_and_both_see_the_result() throws Exception {
        JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"e2e-chat\"}", 201);
        hub.startAgent(created.path("api_key").path("key").asText());
        RealHub.eventually("the agent online", () -> hub.server(created.path("server").path("id").asText()).path("status").asText(),
                "online"::equals);
        hub.call("POST", "/api/v1/users", hub.admin, "{\"username\":\"alice\",\"password\":\"alice password\",\"role\":\"operator\"}", 201);
        hub.call("POST", "/api/v1/users", hub.admin, "{\"username\":\"bob\",\"password\":\"bob password\",\"role\":\"operator\"}", 201);
        signIn(alice, "alice", "alice password");
        signIn(bob, "bob", "bob password");

        say(alice, "status");
        alice.waitForText(".chat-log li[data-author=bot]", "@alice 1 server:");
        bob.waitForText(".chat-log li[data-author=bot]", "e2e-chat  online");

        say(alice, "run e2e-chat -- echo approved by two people");
        alice.waitForText(".chat-log li[data-approval]", "needs another operator's approval");
        String approval = alice.find(".chat-log li[data-approval]").getDomAttribute("data-approval");
        alice.button(alice.find(".chat-log li[data-approval]"), "Approve").click();
        alice.waitForText(".chat-log li[data-author=bot]", "@alice you asked for " + approval + " yourself; another operator must decide it");
        alice.screenshot("chat-requested");

        bob.waitForText(".chat-log li[data-approval]", "needs another operator's approval");
        bob.button(bob.find(".chat-log li[data-approval]"), "Approve").click();

        for (Browser browser : new Browser[] {alice, bob}) {
            browser.waitForText(".chat-log li[data-job]", "done, 1 succeeded, 0 did not");
            browser.waitForText(".chat-log li[data-job] pre", "approved by two people");
        }
        bob.screenshot("chat-approved");
        assertThat(hub.call("GET", "/api/v1/audit?action=chat_approve", hub.admin, null, 200).get(0).path("detail").asText())
                .contains("requested by alice (web), approved by bob (web)");
        assertThat(hub.call("GET", "/api/v1/audit?action=command", hub.admin, null, 200).findValuesAsText("user")).contains("alice");
    }
}
