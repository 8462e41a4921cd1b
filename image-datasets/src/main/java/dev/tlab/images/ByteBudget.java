package dev.tlab.images;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes a scan may read or decompress in all ({@link ScanLimits#maxTotalBytes()}), counted as they are read, so
 * that neither a header's claim nor skipped archive content escapes it.
 */
final class ByteBudget {

    private final ScanLimits limits;
    private long used;

    ByteBudget(ScanLimits limits) {
        this.limits = limits;
    }

    void consume(long bytes) {
        used += bytes;
        if (used > limits.maxTotalBytes()) {
            throw ImageDatasetException.limit(
                    ScanLimits.Limit.MAX_TOTAL_BYTES, limits, "the dataset holds or decompresses to");
        }
    }

    long used() {
        return used;
    }

    /** The stream, every byte read through it charged to this budget. */
    InputStream charge(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    consume(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    consume(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // Read rather than skip, so that what is passed over is counted like what is read.
                byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
                long skipped = 0;
                while (skipped < n) {
                    int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }
        };
    }
}
