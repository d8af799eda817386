package io.chatops.protocol;


/** A container port and, when published, the host port it is reachable on. */
public record PortMapping(
        int privatePort,
        Integer publicPort,
        String type) {

    private static final int MAX_PORT = 65_535;

    public PortMapping {
        Require.between("private_port", privatePort, 1, MAX_PORT);
        Require.optionalBetween("public_port", publicPort, 1, MAX_PORT);
        Require.text("type", type);
    }
}
