package dev.tlab.dataset.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A small reader of gzip-compressed tar archives (ustar, GNU long names and pax {@code path} records), enough for the
 * CIFAR-10 distribution. It extracts only the expected files of one folder and never writes outside the target.
 */
public final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Extracts the files named {@code wanted} that lie directly in {@code folder/} of the archive into {@code target}
     * (created) and returns which were found. A truncated or corrupt archive is a {@link DatasetException}.
     */
    public static Set<String> extractFolder(Path archive, String folder, Set<String> wanted, Path target) {
        Set<String> found = new HashSet<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16),
                1 << 16)) {
            Files.createDirectories(target);
            byte[] header = new byte[BLOCK];
            String pendingName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    throw new DatasetException(archive + " is truncated: the tar stream ends without its end marker");
                }
                if (isZero(header)) {
                    break;
                }
                if (!checksumOk(header)) {
                    throw new DatasetException(archive + " is corrupt: bad tar header checksum");
                }
                long size = parseOctal(header, 124, 12);
                char typeFlag = (char) header[156];
                String name = pendingName != null ? pendingName : headerName(header);
                pendingName = null;
                if (typeFlag == 'L') {
                    pendingName = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
                    continue;
                }
                if (typeFlag == 'x') {
                    pendingName = paxPath(readData(in, size));
                    continue;
                }
                boolean regular = typeFlag == '0' || typeFlag == '\0' || typeFlag == '7';
                String normalized = name.startsWith("./") ? name.substring(2) : name;
                int slash = normalized.lastIndexOf('/');
                String parent = slash < 0 ? "" : normalized.substring(0, slash);
                String base = normalized.substring(slash + 1);
                if (regular && parent.equals(folder) && wanted.contains(base)) {
                    Path out = target.resolve(base);
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size);
                    }
                    skipPadding(in, size);
                    found.add(base);
                } else {
                    skip(in, size);
                    skipPadding(in, size);
                }
            }
        } catch (EOFException e) {
            throw new DatasetException(archive + " is truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DatasetException("cannot read archive " + archive + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("partial tar header");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] header) {
        long stored = parseOctal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        return sum == stored;
    }

    private static String headerName(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] header, int offset, int length) {
        return trimNul(new String(header, offset, length, StandardCharsets.UTF_8));
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    static long parseOctal(byte[] header, int offset, int length) {
        long value = 0;
        int end = offset + length;
        int i = offset;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                break;
            }
            if (b < '0' || b > '7') {
                throw new DatasetException("corrupt tar header: bad octal number");
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String path = null;
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                path = line.substring(space + 1 + "path=".length());
            }
        }
        return path;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new DatasetException("corrupt tar archive: header record of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("tar entry data ends early");
        }
        skipPadding(in, size);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("tar entry data ends early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        copy(in, OutputStream.nullOutputStream(), size);
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        skip(in, padding);
    }
}
