package dev.tlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state that given processes (and their children) hold, read from Linux's /proc as {@code ss
 * -ltnp} does: each process's socket inodes from /proc/PID/fd, matched against /proc/net/tcp and tcp6.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    record Listener(long pid, InetAddress address, int port) {
        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port + " (pid " + pid + ")";
        }
    }

    private ListeningSockets() {}

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isReadable(Path.of("/proc/net/tcp6"));
    }

    static List<Listener> of(List<Long> pids) {
        Map<String, Long> socketOwners = new HashMap<>();
        for (long pid : withDescendants(pids)) {
            socketInodes(pid).forEach(inode -> socketOwners.put(inode, pid));
        }
        List<Listener> listeners = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = lines(Path.of(table));
            for (String line : rows.subList(1, rows.size())) { // after the header
                String[] fields = line.trim().split("\\s+");
                Long owner = socketOwners.get(fields[9]);
                if (owner != null && fields[3].equals(LISTEN)) {
                    String[] local = fields[1].split(":");
                    listeners.add(new Listener(owner, address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listeners;
    }

    private static Set<Long> withDescendants(List<Long> pids) {
        Set<Long> all = new HashSet<>(pids);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        }
        return all;
    }

    private static List<String> socketInodes(long pid) {
        List<String> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor was closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sockets of process " + pid, e);
        }
        return inodes;
    }

    /** The kernel prints each 32-bit word of the address in host byte order (little-endian here). */
    private static InetAddress address(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte b = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = b;
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address: " + hex, e);
        }
    }

    private static List<String> lines(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
