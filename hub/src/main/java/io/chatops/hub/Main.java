package io.chatops.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar chatops-hub.jar [options]}: starts the hub until SIGTERM. Bad options exit 2. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(HubOptions.USAGE);
            return;
        }
        HubOptions options;
        try {
            options = HubOptions.parse(args, System.getenv());
        } catch (HubOptions.Invalid e) {
            System.err.println("chatops-hub: " + e.getMessage());
            System.exit(2);
            return;
        }
        Hub hub;
        try {
            hub = Hub.start(options, System.getenv(), Clock.systemUTC());
        } catch (io.chatops.hub.http.Tls.Invalid | io.chatops.hub.db.Database.Unusable e) {
            System.err.println("chatops-hub: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
        LOG.info("ChatOps hub listening on {}:{} ({})", options.listenHost(), hub.port(), options);
        Path passwordFile = hub.initialPasswordFile();
        if (passwordFile != null) {
            // Printed once, on the start that created it; afterwards only the 0600 file has it.
            LOG.info("first admin: user admin, password {} (also in {})", Files.readString(passwordFile).trim(), passwordFile);
        }
    }
}
