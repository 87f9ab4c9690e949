package dev.vigil.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 network such as {@code 10.0.0.0/8}; a bare address means a single host. */
public record Cidr(byte[] network, int prefixBits, String text) {
    public Cidr {
        network = network.clone();
    }

    public static Cidr parse(String text) {
        String addr = text;
        int bits = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
        }
        if (!addr.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("not an IP address: '" + text + "' (host names are not allowed)");
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress(); // literal only: checked above, so no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        if (bits < 0) bits = bytes.length * 8;
        if (bits > bytes.length * 8) throw new IllegalArgumentException("prefix length too long in '" + text + "'");
        return new Cidr(bytes, bits, text);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixBits % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixBits == prefixBits && Arrays.equals(c.network, network);
    }

    @Override public int hashCode() { return Arrays.hashCode(network) * 31 + prefixBits; }

    @Override public String toString() { return text; }
}
