package io.chatops.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.hub.auth.FirstAdmin;
import io.chatops.hub.auth.Passwords;
import io.chatops.hub.metrics.MetricsRetention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartupTest {
    @TempDir
    Path dataDir;

    HubOptions options() throws Exception {
        return HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()}, Map.of());
    }

    @Test
    void first_start_creates_the_sqlite_database_and_an_admin_with_a_private_password_file() throws Exception {
        String password;
        try (Hub hub = Hub.start(options(), Map.of(), Clock.systemUTC())) {
            Path file = hub.initialPasswordFile();
            assertThat(file).isEqualTo(dataDir.resolve("initial-admin-password"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            password = Files.readString(file).trim();
            assertThat(password).hasSize(24);
            String hash = hub.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT password_hash FROM users WHERE username = 'admin'").mapTo(String.class).one());
            assertThat(hash).startsWith("$argon2id$").doesNotContain(password);
            assertThat(Passwords.matches(password, hash)).isTrue();
            assertThat(Passwords.matches(password + "x", hash)).isFalse();
        }
        assertThat(dataDir.resolve("chatops.db")).exists();

        try (Hub again = Hub.start(options(), Map.of(), Clock.systemUTC())) {
            assertThat(again.initialPasswordFile()).as("no second admin, no new password").isNull();
            assertThat(Files.readString(dataDir.resolve(FirstAdmin.PASSWORD_FILE)).trim()).isEqualTo(password);
        }
    }

    @Test
    void a_database_migrated_by_a_newer_hub_is_refused_naming_the_migration() throws Exception {
        try (Hub hub = Hub.start(options(), Map.of(), Clock.systemUTC())) {
            hub.database().jdbi().useHandle(h -> h.execute("INSERT INTO flyway_schema_history (installed_rank, version,"
                    + " description, type, script, checksum, installed_by, installed_on, execution_time, success)"
                    + " SELECT 99, '99', 'from a newer hub', 'SQL', 'V99__from_a_newer_hub.sql', 0, installed_by, installed_on, 1, 1"
                    + " FROM flyway_schema_history WHERE version = '1'"));
        }

        assertThatThrownBy(() -> Hub.start(options(), Map.of(), Clock.systemUTC()))
                .isInstanceOf(io.chatops.hub.db.Database.Unusable.class)
                .hasMessageStartingWith("the database cannot be migrated:").hasMessageContaining("99");
    }

    @Test
    void the_admin_password_can_be_given_in_the_environment() throws Exception {
        try (Hub hub = Hub.start(options(), Map.of("CHATOPS_ADMIN_PASSWORD", "s3cret-enough"), Clock.systemUTC())) {
            assertThat(hub.initialPasswordFile()).isNull();
            assertThat(dataDir.resolve(FirstAdmin.PASSWORD_FILE)).doesNotExist();
            String hash = hub.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT password_hash FROM users WHERE username = 'admin'").mapTo(String.class).one());
            assertThat(Passwords.matches("s3cret-enough", hash)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --listen nowhere            | invalid --listen "nowhere": must be HOST:PORT, like 127.0.0.1:8080 or 0.0.0.0:8080
            --listen 127.0.0.1:99999    | invalid --listen "127.0.0.1:99999": must be HOST:PORT, like 127.0.0.1:8080 or 0.0.0.0:8080
            --db-url jdbc:mysql://x/y   | invalid --db-url: must start with jdbc:postgresql:// (or jdbc:sqlite:)
            --public-url ftp://x        | invalid --public-url "ftp://x": must be http(s)://host[:port][/prefix]
            --tls-cert x.pem            | invalid --tls-cert "x.pem": no readable file there
            --tls x.pem                 | unknown option --tls
            --data-dir                  | option --data-dir needs a value
            stray                       | unexpected argument "stray" (options start with --)
            --keep-raw 2w               | invalid --keep-raw "2w": must be hours or days from 1h to 3650d, like 48h or 30d
            --keep-hours 0h             | invalid --keep-hours "0h": must be hours or days from 1h to 3650d, like 48h or 30d
            --keep-raw 40d              | --keep-minutes 30d must not be shorter than --keep-raw 40d
            --keep-hours 7d             | --keep-hours 7d must not be shorter than --keep-minutes 30d
            --metrics-interval 0        | invalid --metrics-interval "0": must be a whole number of seconds from 1 to 3600
            --metrics-interval 3601     | invalid --metrics-interval "3601": must be a whole number of seconds from 1 to 3600
            --metrics-interval 5s       | invalid --metrics-interval "5s": must be a whole number of seconds from 1 to 3600
            """)
    void bad_options_fail_naming_the_option(String args, String message) {
        assertThatThrownBy(() -> HubOptions.parse(args.split(" "), Map.of()))
                .isInstanceOf(HubOptions.Invalid.class).hasMessage(message);
    }

    @Test
    void options_come_from_the_environment_too_and_never_show_a_database_password() throws Exception {
        HubOptions options = HubOptions.parse(new String[0], Map.of("CHATOPS_HUB_LISTEN", "0.0.0.0:9000",
                "CHATOPS_HUB_DB_URL", "jdbc:postgresql://db/chatops?user=hub&password=hunter2"));

        assertThat(options.listenHost()).isEqualTo("0.0.0.0");
        assertThat(options.listenPort()).isEqualTo(9000);
        assertThat(options.toString()).doesNotContain("hunter2");
        assertThat(options.publicUrl().toString()).isEqualTo("http://0.0.0.0:9000");
    }

    @Test
    void the_metrics_interval_defaults_to_five_seconds_and_is_set_by_option_or_environment() throws Exception {
        assertThat(HubOptions.parse(new String[0], Map.of()).metricsIntervalSeconds()).isEqualTo(5);
        assertThat(HubOptions.parse(new String[] {"--metrics-interval", "30"}, Map.of()).metricsIntervalSeconds()).isEqualTo(30);
        assertThat(HubOptions.parse(new String[0], Map.of("CHATOPS_HUB_METRICS_INTERVAL", "3600")).metricsIntervalSeconds())
                .isEqualTo(3600);
    }

    @Test
    void retention_defaults_to_two_days_a_month_and_a_year_and_is_set_by_the_keep_options() throws Exception {
        HubOptions defaults = HubOptions.parse(new String[0], Map.of());
        HubOptions set = HubOptions.parse(new String[] {"--keep-raw", "7d", "--keep-minutes=90d"}, Map.of("CHATOPS_HUB_KEEP_HOURS", "730d"));

        assertThat(defaults.retention()).isEqualTo(new MetricsRetention.Retention(Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(365)));
        assertThat(set.retention()).isEqualTo(new MetricsRetention.Retention(Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(730)));
    }
}
