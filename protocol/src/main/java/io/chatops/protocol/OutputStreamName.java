package io.chatops.protocol;


/** Which stream of a process or container a piece of output came from. */
public enum OutputStreamName {
    STDOUT,
    STDERR
}
