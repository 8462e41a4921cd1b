package dev.tlab.bench;

import dev.tlab.datafiles.CifarRecords;
import java.util.SplittableRandom;

/** Seeded random images in CIFAR-10's binary layout; their content does not matter for speed. */
final class SyntheticCifar {

    private SyntheticCifar() {
    }

    static CifarRecords records(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] bytes = new byte[count * CifarRecords.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int base = i * CifarRecords.RECORD_BYTES;
            bytes[base] = (byte) (i % 10);
            for (int j = 1; j < CifarRecords.RECORD_BYTES; j++) {
                bytes[base + j] = (byte) rng.nextInt(256);
            }
        }
        return CifarRecords.fromBytes(bytes);
    }
}
