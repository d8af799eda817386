package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How many containers run and how many do not, as of the sample. */
public record ContainerCounts(
        @JsonProperty(required = true) int running,
        @JsonProperty(required = true) int stopped) {

    public ContainerCounts {
        Require.nonNegative("running", running);
        Require.nonNegative("stopped", stopped);
    }
}
