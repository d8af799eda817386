package io.chatops.agent.docker;

import java.io.IOException;

/** Docker's socket is missing or does not answer: Docker is not installed, stopped, or not ours to use. */
final class DockerUnavailableException extends IOException {
    DockerUnavailableException(String message) {
        super(message);
    }
}
