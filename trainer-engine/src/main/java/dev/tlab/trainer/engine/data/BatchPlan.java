package dev.tlab.trainer.engine.data;

import java.util.SplittableRandom;

/** The order in which an epoch visits the records and how they are cut into batches. */
public final class BatchPlan {

    private BatchPlan() {}

    /** A seeded Fisher-Yates permutation of 0..n-1 for this epoch (like DataLoader(shuffle=True)). */
    public static int[] shuffled(int n, long seed, int epoch) {
        int[] order = sequential(n);
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch, 0x5EED));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public static int[] sequential(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Number of batches, the last partial one included (DataLoader's drop_last=False). */
    public static int batchCount(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }
}
