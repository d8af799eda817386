package io.chatops.hub.chat;

import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.text.Glob;
import io.chatops.hub.text.Words;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which servers a target names (CHATOPS.md): {@code web-01}, {@code web-01,db-01}, a glob
 * {@code web-*}, {@code tag:prod} or {@code all}. A part that names nothing is an error that says
 * which servers come closest, never an empty fan-out.
 */
final class Targets {
    private final ServerStore servers;

    Targets(ServerStore servers) {
        this.servers = servers;
    }

    /** The servers {@code target} names, in name order, each once. */
    List<ServerStore.Server> resolve(String target) {
        if (target == null || target.isBlank()) {
            throw new ChatError("name the servers: a name, names separated by commas, a glob like web-*, tag:<tag> or all");
        }
        List<ServerStore.Server> fleet = servers.all().stream().map(ServerStore.Row::server)
                .sorted(Comparator.comparing(ServerStore.Server::name)).toList();
        Map<String, ServerStore.Server> chosen = new LinkedHashMap<>();
        for (String part : target.split(",")) {
            List<ServerStore.Server> matched = match(part.strip(), fleet);
            if (matched.isEmpty()) {
                throw new ChatError(nothingMatches(part.strip(), fleet));
            }
            matched.forEach(server -> chosen.put(server.id(), server));
        }
        return new ArrayList<>(chosen.values());
    }

    /** Exactly one server, by name. */
    ServerStore.Server one(String name) {
        List<ServerStore.Server> matched = resolve(name);
        if (matched.size() != 1) {
            throw new ChatError(name + " names " + matched.size() + " servers; name one");
        }
        return matched.get(0);
    }

    private static List<ServerStore.Server> match(String part, List<ServerStore.Server> fleet) {
        if (part.equals("all")) {
            return fleet;
        }
        if (part.startsWith("tag:")) {
            String tag = part.substring(4);
            return fleet.stream().filter(server -> server.tags().contains(tag)).toList();
        }
        if (Glob.isGlob(part)) {
            Pattern glob = Glob.compile(part);
            return fleet.stream().filter(server -> glob.matcher(server.name()).matches()).toList();
        }
        return fleet.stream().filter(server -> server.name().equals(part)).toList();
    }

    private static String nothingMatches(String part, List<ServerStore.Server> fleet) {
        if (part.startsWith("tag:")) {
            return "no server has the tag " + part.substring(4);
        }
        List<String> closest = fleet.stream().map(ServerStore.Server::name)
                .sorted(Comparator.comparingInt(name -> Words.distance(name, part))).limit(3).toList();
        return "no server is named " + part + (closest.isEmpty() ? " (there are no servers yet)" : "; the closest: " + String.join(", ", closest));
    }
}
