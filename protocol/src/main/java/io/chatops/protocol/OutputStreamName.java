package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which stream of a process or container a piece of output came from. */
public enum OutputStreamName {
    @JsonProperty("stdout") STDOUT,
    @JsonProperty("stderr") STDERR
}
