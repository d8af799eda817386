package io.chatops.hub.chat;

import io.chatops.hub.actor.Actor;
import java.util.function.Consumer;

/**
 * One command being answered: who asked, where, what, and where later versions of the answer go
 * (a fan-out job's rows as servers finish).
 */
record Asked(Actor actor, ChatEngine.Origin origin, ChatLine line, Consumer<Reply> later) {
    /** "@alice " — every answer names who asked. */
    String at() {
        return "@" + actor.username() + " ";
    }

    Reply say(String text) {
        return Reply.text(at() + text);
    }
}
