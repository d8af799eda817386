package io.chatops.protocol;

/**
 * One frame of the agent-hub protocol (PROTOCOL.md). Every message is an immutable record that
 * validates its fields on construction, so a {@code Message} in hand is always a valid one.
 * Encode and decode them with {@link MessageCodec}; the JSON {@code type} of each record is in
 * {@link MessageReader} and {@link MessageWriter}, and a new type is added at the end of both and
 * of the list below.
 */
public sealed interface Message
        permits Auth, AuthSuccess, AuthError, Metrics, MetricsAck, Containers, Command, CommandOutput,
                CommandResponse, CommandCancel, DockerCommand, DockerResponse, ErrorMessage, Settings, ProcessesRequest, ProcessList {

    /** The protocol version this module speaks, sent in {@code auth} and {@code auth_success}. */
    int PROTOCOL_VERSION = 1;
}
