package io.chatops.hub.alerts;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;

/** Actors for calling services directly in tests. */
final class AlertServiceActors {
    static final Actor VIEWER = new Actor("u-v", "vera", Role.VIEWER, Actor.Source.API, "127.0.0.1");

    private AlertServiceActors() {
    }
}
