package io.chatops.hub.chat;

/** A command that cannot be done as asked: the message is the answer the person sees. */
final class ChatError extends RuntimeException {
    ChatError(String message) {
        super(message, null, false, false);
    }
}
