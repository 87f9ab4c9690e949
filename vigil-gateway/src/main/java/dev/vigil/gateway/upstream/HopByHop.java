package dev.vigil.gateway.upstream;

import io.netty.util.AsciiString;

/**
 * RFC 9110 §7.6.1's hop-by-hop fields, plus the non-standard {@code Proxy-Connection}: they describe one connection
 * and never cross the gateway, in either direction. (Fields a message's {@code Connection} names are hop-by-hop as
 * well; each direction works those out itself.) One list for the request path ({@code Forwarding}) and the
 * response parser, so the two directions cannot drift apart.
 */
public final class HopByHop {
    /** Lower case, as {@link ResponseParser} compares them. */
    static final AsciiString[] NAMES = {
            AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
            AsciiString.cached("te"), AsciiString.cached("trailer"), AsciiString.cached("transfer-encoding"),
            AsciiString.cached("upgrade"), AsciiString.cached("proxy-authenticate"), AsciiString.cached("proxy-authorization")};

    private HopByHop() {}

    /** Whether {@code name} is one of the fixed hop-by-hop fields (ignoring case). */
    public static boolean is(CharSequence name) {
        int n = name.length();
        for (AsciiString hop : NAMES) {
            if (hop.length() == n && AsciiString.contentEqualsIgnoreCase(name, hop)) return true;
        }
        return false;
    }
}
