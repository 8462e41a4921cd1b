package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener check of the end-to-end test tells a loopback socket from one open to the network. */
class ListeningSocketsTest {
    @Test
    void seesThisProcessesListenersWithTheirAddresses() throws Exception {
        assumeTrue(ListeningSockets.supported(), "needs Linux's /proc/net/tcp");
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket everywhere = new ServerSocket()) {
            everywhere.bind(new InetSocketAddress(0));
            List<ListeningSockets.Listener> listeners =
                    ListeningSockets.of(List.of(ProcessHandle.current().pid()));

            ListeningSockets.Listener local = find(listeners, loopback.getLocalPort());
            assertTrue(local.address().isLoopbackAddress(), local.toString());
            ListeningSockets.Listener open = find(listeners, everywhere.getLocalPort());
            assertFalse(open.address().isLoopbackAddress(), open.toString());
            assertTrue(open.address().isAnyLocalAddress(), open.toString());
        }
    }

    private static ListeningSockets.Listener find(List<ListeningSockets.Listener> listeners, int port) {
        List<ListeningSockets.Listener> matching =
                listeners.stream().filter(l -> l.port() == port).toList();
        assertEquals(1, matching.size(), "one listener on port " + port + " among " + listeners);
        return matching.get(0);
    }
}
