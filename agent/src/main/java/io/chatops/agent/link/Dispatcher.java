package io.chatops.agent.link;

import io.chatops.protocol.Message;
import java.util.function.Consumer;

/**
 * Carries out what the hub asks of the agent ({@code command}, {@code command_cancel},
 * {@code docker_command}, {@code processes_request}). Called on the link thread, so it must hand long work to other threads;
 * {@code reply} may be called from any thread, any number of times (streamed output), and
 * drops its message when the hub is not connected.
 */
public interface Dispatcher {
    void dispatch(Message request, Consumer<Message> reply);
}
