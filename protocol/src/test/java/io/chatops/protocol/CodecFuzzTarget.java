package io.chatops.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The protocol decoder as a fuzz target (Jazzer's {@code fuzzerTestOneInput} convention, run by
 * {@code scripts/bench-faults fuzz}; {@link FuzzCorpusTest} replays the kept corpus on every build):
 * whatever frame arrives, the decoder returns a valid message that survives a round trip, or throws
 * its own {@link ProtocolException}. Anything else escapes, and is a finding.
 */
public final class CodecFuzzTarget {
    private static final MessageCodec CODEC = new MessageCodec();

    private CodecFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        Message message;
        try {
            message = CODEC.decode(new String(input, StandardCharsets.UTF_8));
        } catch (ProtocolException refused) {
            return;
        }
        Message again;
        try {
            again = CODEC.decode(CODEC.encode(message));
        } catch (ProtocolException e) {
            throw new IllegalStateException("a decoded message was refused once encoded again: " + message, e);
        }
        if (!again.equals(message)) {
            throw new IllegalStateException("a decoded message did not survive its round trip: " + message + " became " + again);
        }
    }
}
