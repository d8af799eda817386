package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One frame of the agent-hub protocol (PROTOCOL.md). Every message is an immutable record that
 * validates its fields on construction, so a {@code Message} in hand is always a valid one.
 * Encode and decode them with {@link MessageCodec}; the JSON {@code type} of each record is
 * listed below, and a new type is added at the end of both lists.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Auth.class, name = "auth"),
    @JsonSubTypes.Type(value = AuthSuccess.class, name = "auth_success"),
    @JsonSubTypes.Type(value = AuthError.class, name = "auth_error"),
    @JsonSubTypes.Type(value = Metrics.class, name = "metrics"),
    @JsonSubTypes.Type(value = MetricsAck.class, name = "metrics_ack"),
    @JsonSubTypes.Type(value = Containers.class, name = "containers"),
    @JsonSubTypes.Type(value = Command.class, name = "command"),
    @JsonSubTypes.Type(value = CommandOutput.class, name = "command_output"),
    @JsonSubTypes.Type(value = CommandResponse.class, name = "command_response"),
    @JsonSubTypes.Type(value = CommandCancel.class, name = "command_cancel"),
    @JsonSubTypes.Type(value = DockerCommand.class, name = "docker_command"),
    @JsonSubTypes.Type(value = DockerResponse.class, name = "docker_response"),
    @JsonSubTypes.Type(value = ErrorMessage.class, name = "error"),
})
public sealed interface Message
        permits Auth, AuthSuccess, AuthError, Metrics, MetricsAck, Containers, Command, CommandOutput,
                CommandResponse, CommandCancel, DockerCommand, DockerResponse, ErrorMessage {

    /** The protocol version this module speaks, sent in {@code auth} and {@code auth_success}. */
    int PROTOCOL_VERSION = 1;
}
