package io.chatops.protocol;


/** How many containers run and how many do not, as of the sample. */
public record ContainerCounts(
        int running,
        int stopped) {

    public ContainerCounts {
        Require.nonNegative("running", running);
        Require.nonNegative("stopped", stopped);
    }
}
