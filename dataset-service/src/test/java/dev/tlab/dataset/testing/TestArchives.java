package dev.tlab.dataset.testing;

import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.SyntheticCifar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Makes small CIFAR-format folders and tar.gz archives for tests (nothing is downloaded). */
public final class TestArchives {
    private TestArchives() {}

    /** A synthetic folder with {@code perClass} training images per class (hence 2 * perClass per batch). */
    public static Path folder(Path parent, int perClass, int testPerClass, long seed) {
        Path folder = parent.resolve(CifarFormat.FOLDER);
        SyntheticCifar.generate(folder, perClass, testPerClass, seed);
        return folder;
    }

    /** A cifar-10-binary.tar.gz-shaped archive of {@code folder}: entries {@code cifar-10-batches-bin/<file>}. */
    public static Path archive(Path folder, Path archive) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            writeEntry(out, CifarFormat.FOLDER + "/", new byte[0], '5');
            writeEntry(out, CifarFormat.FOLDER + "/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8), '0');
            for (String name : CifarFormat.ALL_FILES) {
                writeEntry(out, CifarFormat.FOLDER + "/" + name, Files.readAllBytes(folder.resolve(name)), '0');
            }
            out.write(new byte[1024]);
        }
        return archive;
    }

    public static void writeEntry(OutputStream out, String name, byte[] data, char type) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name.getBytes(StandardCharsets.UTF_8));
        put(header, 100, "0000644\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 108, "0000000\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 116, "0000000\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 124, String.format("%011o\0", data.length).getBytes(StandardCharsets.US_ASCII));
        put(header, 136, String.format("%011o\0", 1_600_000_000L).getBytes(StandardCharsets.US_ASCII));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = (byte) type;
        put(header, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
        out.write(header);
        out.write(data);
        int padding = (512 - data.length % 512) % 512;
        out.write(new byte[padding]);
    }

    private static void put(byte[] header, int offset, byte[] value) {
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
