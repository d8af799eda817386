package io.chatops.protocol;

import java.util.List;

/**
 * The systemd services of the host, counted by their active state, with the failed ones named (at
 * most {@link #MAX_NAMED}; {@code failed} counts them all). States systemd may add later count as
 * {@code other}.
 */
public record ServiceStates(
        int active,
        int activating,
        int deactivating,
        int reloading,
        int inactive,
        int failed,
        int other,
        List<String> failedUnits) {

    public static final int MAX_NAMED = 100;

    public ServiceStates {
        Require.nonNegative("active", active);
        Require.nonNegative("activating", activating);
        Require.nonNegative("deactivating", deactivating);
        Require.nonNegative("reloading", reloading);
        Require.nonNegative("inactive", inactive);
        Require.nonNegative("failed", failed);
        Require.nonNegative("other", other);
        failedUnits = Require.list("failed_units", failedUnits);
        if (failedUnits.size() > Math.min(failed, MAX_NAMED)) {
            throw new InvalidFieldException("failed_units", "names more units than failed (at most " + MAX_NAMED + ")");
        }
        for (String unit : failedUnits) {
            Require.text("failed_units", unit);
            if (unit.length() > 256) {
                throw new InvalidFieldException("failed_units", "holds a unit name longer than 256 characters");
            }
        }
    }
}
