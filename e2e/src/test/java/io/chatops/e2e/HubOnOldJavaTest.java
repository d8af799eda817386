package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar chatops-hub.jar} on the Java 17 that Debian 12 ships names the Java it needs, in one line. */
class HubOnOldJavaTest {
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    @Test
    void an_older_java_is_told_which_java_the_hub_needs() throws Exception {
        assertThat(JAVA_17).as("Debian's openjdk-17, the Java of the test machine").isExecutable();
        Process hub = new ProcessBuilder(JAVA_17.toString(), "-jar", RealHub.HUB_JAR.toAbsolutePath().toString(), "--help")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(hub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(hub.exitValue()).isEqualTo(1);
        assertThat(output.lines()).as(output).singleElement().asString()
                .startsWith("chatops-hub needs Java 21 or newer, and this is Java 17.")
                .contains("install the chatops-hub package, which brings its own", "https://adoptium.net/")
                .doesNotContain("UnsupportedClassVersionError");
    }
}
