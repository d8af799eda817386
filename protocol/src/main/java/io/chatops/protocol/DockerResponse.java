package io.chatops.protocol;


/** Agent to hub: the answer to a {@link DockerCommand}, a result when ok and an error when not. */
public record DockerResponse(
        String id,
        boolean ok,
        DockerResult result,
        Failure error) implements Message {

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
            ErrorCode code,
            String message) {

        public Failure {
            Require.present("code", code);
            Require.text("message", message);
        }
    }

    public enum ErrorCode {
        DOCKER_UNAVAILABLE,
        DOCKER_CONTROL_DISABLED,
        NOT_FOUND,
        INVALID_CONTAINER,
        DOCKER_ERROR
    }
}
