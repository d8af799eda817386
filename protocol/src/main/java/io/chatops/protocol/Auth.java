package io.chatops.protocol;


/** Agent to hub, the first frame of every connection: the API key and what the agent is. */
public record Auth(
        String apiKey,
        int protocol,
        AgentInfo agent) implements Message {

    public Auth {
        Require.text("api_key", apiKey);
        Require.between("protocol", protocol, 1, Integer.MAX_VALUE);
        Require.present("agent", agent);
    }

    /** Never prints the key: records are logged, and the key is a secret. */
    @Override
    public String toString() {
        return "Auth[apiKey=" + ApiKeys.redact(apiKey) + ", protocol=" + protocol + ", agent=" + agent + "]";
    }
}
