package dev.vigil.gateway.config;

/** An address and TCP port the gateway accepts client connections on; port 0 picks a free port (tests). */
public record Listener(String address, int port) {
    public Listener {
        if (address == null || address.isBlank()) throw new IllegalArgumentException("address is required");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
    }

    @Override public String toString() { return address + ":" + port; }
}
