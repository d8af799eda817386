package io.chatops.agent.docker;

import java.io.IOException;

/** Docker answered with an error status; the message is Docker's own. */
final class DockerApiException extends IOException {
    private final int status;

    DockerApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
