package io.chatops.agent.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kills a process with everything it started. Descendants are listed before anyone is killed,
 * because a child whose parent dies is re-parented and can no longer be found from the command;
 * the walk repeats in case something forked meanwhile.
 */
final class ProcessTree {
    private static final int ROUNDS = 5;

    private ProcessTree() {
    }

    static void kill(ProcessHandle root) {
        for (int round = 0; round < ROUNDS; round++) {
            List<ProcessHandle> tree = new ArrayList<>(root.descendants().collect(Collectors.toList()));
            tree.add(root);
            boolean anyAlive = false;
            for (ProcessHandle process : tree) {
                if (process.isAlive()) {
                    anyAlive = true;
                    process.destroyForcibly();
                }
            }
            if (!anyAlive) {
                return;
            }
        }
    }
}
