package dev.vigil.gateway.config;

/** One upstream server: host name or IP literal, and port. */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is required");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + port);
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    public static Endpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        return new Endpoint(host, port);
    }

    @Override public String toString() { return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port; }
}
