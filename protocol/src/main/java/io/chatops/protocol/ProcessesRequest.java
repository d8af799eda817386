package io.chatops.protocol;

/**
 * Hub to agent: the busiest processes now, by CPU (over a short window the agent measures) or by
 * resident memory, at most {@code limit} of them. Sent only to agents that announce
 * {@link Capability#PROCESSES}; the answer is {@link ProcessList}, or an {@code error} with this id.
 */
public record ProcessesRequest(
        String id,
        Sort sort,
        int limit) implements Message {

    public static final int MAX_LIMIT = 100;

    public ProcessesRequest {
        Require.text("id", id);
        Require.present("sort", sort);
        Require.between("limit", limit, 1, MAX_LIMIT);
    }

    public enum Sort {
        CPU,
        MEMORY
    }
}
