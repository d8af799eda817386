package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Agent to hub: the answer to a {@link DockerCommand}, a result when ok and an error when not. */
public record DockerResponse(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) boolean ok,
        @JsonInclude(JsonInclude.Include.ALWAYS) DockerResult result,
        @JsonInclude(JsonInclude.Include.ALWAYS) Failure error) implements Message {

    public DockerResponse {
        Require.text("id", id);
        if (ok) {
            Require.present("result", result);
            if (error != null) {
                throw new InvalidFieldException("error", "must be null when ok is true");
            }
        } else {
            Require.present("error", error);
        }
    }

    public static DockerResponse success(String id, DockerResult result) {
        return new DockerResponse(id, true, result, null);
    }

    public static DockerResponse failure(String id, ErrorCode code, String message) {
        return new DockerResponse(id, false, null, new Failure(code, message));
    }

    /** Why a Docker operation failed. */
    public record Failure(
            @JsonProperty(required = true) ErrorCode code,
            @JsonProperty(required = true) String message) {

        public Failure {
            Require.present("code", code);
            Require.text("message", message);
        }
    }

    public enum ErrorCode {
        @JsonProperty("docker_unavailable") DOCKER_UNAVAILABLE,
        @JsonProperty("docker_control_disabled") DOCKER_CONTROL_DISABLED,
        @JsonProperty("not_found") NOT_FOUND,
        @JsonProperty("invalid_container") INVALID_CONTAINER,
        @JsonProperty("docker_error") DOCKER_ERROR
    }
}
