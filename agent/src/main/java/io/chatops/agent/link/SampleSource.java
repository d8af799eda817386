package io.chatops.agent.link;

import io.chatops.protocol.Metrics;
import java.time.Duration;

/** Takes one metrics sample with the given sequence number. Called on the link thread. */
public interface SampleSource {
    Metrics sample(long seq, Duration interval);
}
