package io.chatops.hub.live;

import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.Containers;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the hub pushes to browsers, one typed method per event: each shapes its payload as API.md
 * describes it and picks its topic, so that no caller builds topic names or payload maps.
 */
public final class LivePublisher {
    /** Where shaped messages go: the live WebSocket, or a test's list. */
    @FunctionalInterface
    public interface Sink {
        void publish(LiveTopic topic, Map<String, Object> payload);
    }

    private final MessageCodec codec = new MessageCodec();
    private final Sink sink;

    public LivePublisher(Sink sink) {
        this.sink = sink;
    }

    /** A server came online, went offline or was deleted. */
    public void serverStatus(String serverId, String status) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "server_status");
        payload.put("server_id", serverId);
        payload.put("status", status);
        sink.publish(LiveTopic.servers(), payload);
    }

    /** A sample was stored (the agent's frame, with the server's id). */
    public void sample(String serverId, Metrics sample) {
        Map<String, Object> payload = tree(sample);
        payload.put("server_id", serverId);
        sink.publish(LiveTopic.serverMetrics(serverId), payload);
    }

    /** The agent reported its containers. */
    public void containers(String serverId, Containers list) {
        Map<String, Object> payload = tree(list);
        payload.put("type", "containers");
        payload.put("server_id", serverId);
        sink.publish(LiveTopic.serverContainers(serverId), payload);
    }

    /** A piece of a running command's output. */
    public void commandOutput(CommandOutput output) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "command_output");
        payload.put("command_id", output.id());
        payload.put("stream", output.stream().name().toLowerCase(Locale.ROOT));
        payload.put("data", output.data());
        sink.publish(LiveTopic.command(output.id()), payload);
    }

    /** A command ended; {@code record} is its record as the REST API shows it. */
    public void commandFinished(String commandId, Map<String, Object> record) {
        Map<String, Object> payload = new LinkedHashMap<>(record);
        payload.put("type", "command_finished");
        payload.put("command_id", commandId);
        sink.publish(LiveTopic.command(commandId), payload);
    }

    /** An alert changed state; {@code alert} is the alert as the REST API shows it. */
    public void alert(Map<String, Object> alert) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "alert");
        payload.putAll(alert);
        sink.publish(LiveTopic.alerts(), payload);
    }

    /** A chat room message was posted or rewritten; {@code message} is as the REST API shows it. */
    public void chatMessage(Map<String, Object> message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "chat_message");
        payload.putAll(message);
        sink.publish(LiveTopic.chat(), payload);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree(Message message) {
        try {
            return new LinkedHashMap<>((Map<String, Object>) JsonTree.parse(codec.encode(message)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a frame this hub encoded", e);
        }
    }
}
