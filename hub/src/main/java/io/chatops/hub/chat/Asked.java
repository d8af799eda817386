package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.actor.Actor;
import java.util.function.Consumer;

/**
 * One command being answered: who asked, where, what, and where later versions of the answer go
 * (a fan-out job's rows as servers finish): {@code later} here, and {@code answerTo} (the front
 * end's address of the answer, or null) for another hub instance that finishes the job when this
 * one stops.
 */
record Asked(Actor actor, ChatEngine.Origin origin, ChatLine line, Consumer<Reply> later, ObjectNode answerTo) {
    /** "@alice " — every answer names who asked. */
    String at() {
        return "@" + actor.username() + " ";
    }

    Reply say(String text) {
        return Reply.text(at() + text);
    }
}
