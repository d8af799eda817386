package io.chatops.agent.docker;

import com.fasterxml.jackson.core.JacksonException;
import io.chatops.protocol.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The Docker Engine API calls the agent makes, on unversioned paths so that any engine from API
 * 1.41 (Docker 20.10) on answers. References must have passed {@link ContainerRef} first.
 */
final class DockerClient {
    /** Listing and inspecting take milliseconds; a daemon that needs longer is in trouble. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(15);

    private final DockerHttp http;

    DockerClient(Path socket) {
        this.http = new DockerHttp(socket);
    }

    Path socket() {
        return http.socket();
    }

    String version() throws IOException {
        return json("GET", "/version", QUERY_TIMEOUT).path("Version").asText(null);
    }

    JsonValue list() throws IOException {
        return json("GET", "/containers/json?all=1", QUERY_TIMEOUT);
    }

    /** The list entry of one container, by its full id; missing when it is gone. */
    JsonValue listEntry(String fullId) throws IOException {
        String filter = URLEncoder.encode("{\"id\":[\"" + fullId + "\"]}", StandardCharsets.UTF_8);
        return json("GET", "/containers/json?all=1&filters=" + filter, QUERY_TIMEOUT).path(0);
    }

    JsonValue inspect(String ref) throws IOException {
        return json("GET", "/containers/" + ref + "/json", QUERY_TIMEOUT);
    }

    /** One stats reading without Docker's second sample, so it answers at once; CPU is derived by the caller. */
    JsonValue stats(String fullId) throws IOException {
        return json("GET", "/containers/" + fullId + "/stats?stream=false&one-shot=true", QUERY_TIMEOUT);
    }

    void start(String ref) throws IOException {
        call("POST", "/containers/" + ref + "/start", QUERY_TIMEOUT);
    }

    void stop(String ref, int graceSeconds) throws IOException {
        call("POST", "/containers/" + ref + "/stop?t=" + graceSeconds, Duration.ofSeconds(graceSeconds).plus(QUERY_TIMEOUT));
    }

    void restart(String ref, int graceSeconds) throws IOException {
        call("POST", "/containers/" + ref + "/restart?t=" + graceSeconds, Duration.ofSeconds(graceSeconds).plus(QUERY_TIMEOUT));
    }

    byte[] logs(String ref, int tail, Instant since) throws IOException {
        String query = "?stdout=1&stderr=1&timestamps=1&tail=" + tail + (since == null ? "" : "&since=" + since.getEpochSecond());
        return call("GET", "/containers/" + ref + "/logs" + query, QUERY_TIMEOUT).body();
    }

    /** Container events as they happen, one JSON object each; blocks until the caller closes it. */
    InputStream events() throws IOException {
        String filter = URLEncoder.encode("{\"type\":[\"container\"]}", StandardCharsets.UTF_8);
        return http.stream("/events?filters=" + filter);
    }

    private JsonValue json(String method, String target, Duration timeout) throws IOException {
        DockerHttp.Response response = call(method, target, timeout);
        try {
            return JsonValue.of(JsonTree.parse(response.body()));
        } catch (JacksonException e) {
            throw new IOException("Docker answered " + target + " with something other than JSON");
        }
    }

    private DockerHttp.Response call(String method, String target, Duration timeout) throws IOException {
        DockerHttp.Response response = http.request(method, target, timeout);
        if (response.status() >= 300 && response.status() != 304) {
            String message;
            try {
                message = JsonValue.of(JsonTree.parse(response.body())).path("message").asText(response.text());
            } catch (JacksonException e) {
                message = response.text();
            }
            throw new DockerApiException(response.status(), message.trim());
        }
        return response;
    }
}
