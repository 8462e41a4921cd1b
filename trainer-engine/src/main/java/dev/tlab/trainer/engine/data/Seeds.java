package dev.tlab.trainer.engine.data;

/**
 * Derives independent seeds from (job seed, epoch, position). Every random choice of an epoch comes from such a derived
 * seed, never from shared mutable generators, so a resumed job and a run on any number of worker threads draw exactly
 * the same crops, flips and orders.
 */
public final class Seeds {

    private Seeds() {}

    public static long derive(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
