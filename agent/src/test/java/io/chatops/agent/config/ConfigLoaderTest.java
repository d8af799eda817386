package io.chatops.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.agent.log.LogLevel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final String KEY = "cok_7Hs9dK2mPq4rT6vW8yZ1b3D5f7H9j1K3m5P7r9";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private AgentConfig load(String... args) throws ConfigException {
        return new ConfigLoader(env).load(CommandLine.parse(args));
    }

    private Path file(String json) throws Exception {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void the_quick_start_command_works_with_defaults_for_everything_else() throws Exception {
        env.put("HOME", "/home/ops");

        AgentConfig config = load("-api-key", KEY);

        assertThat(config.apiKey()).isEqualTo(KEY);
        assertThat(config.apiUrls()).containsExactly(URI.create("http://localhost:8080"));
        assertThat(config.hubUris()).containsExactly(URI.create("ws://localhost:8080/api/v1/agents/ws"));
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.dockerSocket()).isEqualTo(Path.of("/var/run/docker.sock"));
        assertThat(config.execEnabled()).isTrue();
        assertThat(config.dockerControlEnabled()).isTrue();
        assertThat(config.execAllow()).isEmpty();
        assertThat(config.bufferSamples()).isEqualTo(720);
        assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void flags_win_over_environment_which_wins_over_the_file() throws Exception {
        Path file = file("{\"api_key\":\"from-file\",\"interval\":30,\"buffer\":\"100\",\"log_level\":\"debug\"}");
        env.put("CHATOPS_CONFIG", file.toString());
        env.put("CHATOPS_INTERVAL", "15");
        env.put("CHATOPS_API_KEY", "from-env");

        AgentConfig config = load("--interval", "10");

        assertThat(config.apiKey()).isEqualTo("from-env");
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.bufferSamples()).isEqualTo(100);
        assertThat(config.logLevel()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void every_option_can_come_from_each_source() throws Exception {
        Path file = file("""
                {"api_key":"k1","api_url":"https://hub.example.com","interval":7,"state_dir":"/tmp/s",
                 "docker_socket":"/run/docker.sock","disable_exec":true,"disable_docker_control":"yes",
                 "exec_allow":"^(uptime|df -h)$","buffer":10,"log_level":"warn"}""");

        AgentConfig fromFile = load("-config", file.toString());
        env.put("CHATOPS_API_KEY", "k2");
        env.put("CHATOPS_API_URL", "wss://other/x");
        env.put("CHATOPS_DISABLE_EXEC", "false");
        AgentConfig fromEnv = load("-config=" + file);
        AgentConfig fromFlags = load("-config", file.toString(), "-api-key=k3", "-disable-exec=false",
                "--disable-docker-control=false", "-exec-allow", ".*", "-state-dir", "/var/tmp/x");

        assertThat(fromFile.apiUrls()).containsExactly(URI.create("https://hub.example.com"));
        assertThat(fromFile.hubUris()).containsExactly(URI.create("wss://hub.example.com/api/v1/agents/ws"));
        assertThat(fromFile.interval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(fromFile.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(fromFile.dockerSocket()).isEqualTo(Path.of("/run/docker.sock"));
        assertThat(fromFile.execEnabled()).isFalse();
        assertThat(fromFile.dockerControlEnabled()).isFalse();
        assertThat(fromFile.execAllow()).get().extracting(p -> p.pattern()).isEqualTo("^(uptime|df -h)$");
        assertThat(fromFile.bufferSamples()).isEqualTo(10);
        assertThat(fromFile.logLevel()).isEqualTo(LogLevel.WARN);
        assertThat(fromEnv.apiKey()).isEqualTo("k2");
        assertThat(fromEnv.hubUris()).containsExactly(URI.create("wss://other/x/api/v1/agents/ws"));
        assertThat(fromEnv.execEnabled()).isTrue();
        assertThat(fromFlags.apiKey()).isEqualTo("k3");
        assertThat(fromFlags.dockerControlEnabled()).isTrue();
        assertThat(fromFlags.execAllow()).get().extracting(p -> p.pattern()).isEqualTo(".*");
        assertThat(fromFlags.stateDir()).isEqualTo(Path.of("/var/tmp/x"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://localhost:8080              | ws://localhost:8080/api/v1/agents/ws
            https://hub.example.com            | wss://hub.example.com/api/v1/agents/ws
            https://example.com/chatops/       | wss://example.com/chatops/api/v1/agents/ws
            ws://10.0.0.5:9000/a/b             | ws://10.0.0.5:9000/a/b/api/v1/agents/ws
            WSS://Hub.Example.com:443          | wss://Hub.Example.com:443/api/v1/agents/ws
            http://[::1]:8080                  | ws://[::1]:8080/api/v1/agents/ws
            """)
    void the_websocket_address_keeps_host_port_and_path_prefix(String apiUrl, String hubUri) throws Exception {
        assertThat(load("-api-key", KEY, "-api-url", apiUrl).hubUris()).containsExactly(URI.create(hubUri));
    }

    @Test
    void several_hubs_are_tried_in_the_order_given_and_a_bad_one_is_named() throws Exception {
        assertThat(load("-api-key", KEY, "-api-url", "https://a.example.com, https://b.example.com/chatops").hubUris())
                .containsExactly(URI.create("wss://a.example.com/api/v1/agents/ws"), URI.create("wss://b.example.com/chatops/api/v1/agents/ws"));
        assertThatThrownBy(() -> load("-api-key", KEY, "-api-url", "https://a.example.com,ftp://b"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid -api-url \"https://a.example.com,ftp://b\": \"ftp://b\" must be http(s):// or ws(s):// with a host,"
                        + " like https://hub.example.com");
        assertThatThrownBy(() -> load("-api-key", KEY, "-api-url", "https://a.example.com,"))
                .hasMessageContaining("\"\" must be http(s)://");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            -interval 0                 | invalid -interval "0": must be a whole number from 1 to 3600
            -interval five              | invalid -interval "five": must be a whole number from 1 to 3600
            -buffer 10001               | invalid -buffer "10001": must be a whole number from 1 to 10000
            -api-url ftp://hub          | invalid -api-url "ftp://hub": must be http(s):// or ws(s):// with a host, like https://hub.example.com
            -api-url hub:8080           | invalid -api-url "hub:8080": must be http(s):// or ws(s):// with a host, like https://hub.example.com
            -api-url http://u:p@hub     | invalid -api-url "http://u:p@hub": must not carry a query, a fragment or credentials
            -log-level loud             | invalid -log-level "loud": must be error, warn, info or debug
            -disable-exec=maybe         | invalid -disable-exec "maybe": must be true or false
            -exec-allow (               | invalid -exec-allow "(": not a regular expression: Unclosed group
            -nope 1                     | unknown option -nope (see -help)
            -interval                   | option -interval needs a value
            stray                       | unexpected argument "stray": options start with - (see -help)
            """)
    void bad_flags_fail_naming_the_option_and_the_value(String args, String message) {
        String[] argv = (args.startsWith("-api-key") ? args : "-api-key " + KEY + " " + args).split(" ");

        assertThatThrownBy(() -> load(argv)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void bad_environment_and_file_values_are_named_as_the_user_wrote_them() throws Exception {
        env.put("CHATOPS_INTERVAL", "-1");
        assertThatThrownBy(() -> load("-api-key", KEY))
                .hasMessage("invalid CHATOPS_INTERVAL \"-1\": must be a whole number from 1 to 3600");

        env.clear();
        Path file = file("{\"buffer\": 0}");
        assertThatThrownBy(() -> load("-api-key", KEY, "-config", file.toString()))
                .hasMessage("invalid buffer in " + file + " \"0\": must be a whole number from 1 to 10000");
    }

    @Test
    void config_file_problems_are_explained() throws Exception {
        assertThatThrownBy(() -> load("-api-key", KEY, "-config", dir.resolve("missing.json").toString()))
                .hasMessageEndingWith("missing.json\": no such file");
        Path notJson = file("api_key: x");
        assertThatThrownBy(() -> load("-config", notJson.toString())).hasMessageContaining("not valid JSON");
        Path typo = file("{\"api-key\":\"x\"}");
        assertThatThrownBy(() -> load("-config", typo.toString())).hasMessageEndingWith("unknown key \"api-key\"");
        Path nested = file("{\"api_key\":{\"v\":1}}");
        assertThatThrownBy(() -> load("-config", nested.toString()))
                .hasMessageEndingWith("key \"api_key\" must be a string, number or boolean");
        Path array = file("[]");
        assertThatThrownBy(() -> load("-config", array.toString())).hasMessageContaining("must hold a JSON object");
    }

    @Test
    void a_missing_key_says_every_way_to_give_one() {
        assertThatThrownBy(() -> load())
                .hasMessage("missing API key: pass -api-key KEY, set CHATOPS_API_KEY, or put api_key in the -config file");
    }

    @Test
    void the_key_never_appears_in_errors_or_descriptions() throws Exception {
        assertThatThrownBy(() -> load("-api-key", "cok_secret value"))
                .hasMessage("invalid -api-key \"cok_secr…\": must not contain spaces or control characters");

        AgentConfig config = load("-api-key", KEY);
        assertThat(config.toString()).contains("cok_7Hs9…").doesNotContain(KEY);
        assertThat(config.describe()).doesNotContain(KEY);
    }

    @Test
    void systemd_state_directory_is_the_default_state_dir() throws Exception {
        env.put("STATE_DIRECTORY", "/var/lib/chatops-agent");

        assertThat(load("-api-key", KEY).stateDir()).isEqualTo(Path.of("/var/lib/chatops-agent"));
    }

    @Test
    void version_and_help_are_recognised_in_both_spellings() throws Exception {
        assertThat(CommandLine.parse("-version").wantsVersion()).isTrue();
        assertThat(CommandLine.parse("--version").wantsVersion()).isTrue();
        assertThat(CommandLine.parse("-h").wantsHelp()).isTrue();
        assertThat(CommandLine.parse("--help").wantsHelp()).isTrue();
        assertThat(CommandLine.usage()).contains("-api-key KEY", "-disable-docker-control", "CHATOPS_API_KEY");
    }
}
