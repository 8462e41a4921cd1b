package dev.tlab.datafiles;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Which addresses a download a request names must not reach: the machine itself and the networks behind it. */
public final class NetworkAddresses {

    private NetworkAddresses() {}

    /**
     * Loopback, link-local (cloud metadata services live there), private, unique-local, carrier-grade NAT, multicast or
     * unspecified.
     */
    public static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
                || (b[0] & 0xff) == 0; // 0.0.0.0/8
    }
}
