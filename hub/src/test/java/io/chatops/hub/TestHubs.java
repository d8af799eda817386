package io.chatops.hub;

import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real hub on port 0 with the embedded database, and users with API tokens, for tests. */
public final class TestHubs {
    public static final String ADMIN_PASSWORD = "admin password for tests";

    private TestHubs() {
    }

    public static Hub start(Path dataDir, Clock clock, String... moreOptions) throws Exception {
        List<String> options = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
        options.addAll(List.of(moreOptions));
        return Hub.start(HubOptions.parse(options.toArray(String[]::new), Map.of()),
                Map.of("CHATOPS_ADMIN_PASSWORD", ADMIN_PASSWORD), clock);
    }

    /** A new user with {@code role} and an API token for it. */
    public static String token(Hub hub, Clock clock, String username, Role role) {
        UserStore users = new UserStore(hub.database().jdbi(), clock);
        return new TokenStore(hub.database().jdbi(), clock)
                .create(users.create(username, username + " password", role).id(), "test", null).token();
    }
}
