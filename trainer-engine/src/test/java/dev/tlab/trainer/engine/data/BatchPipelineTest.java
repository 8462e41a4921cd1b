package dev.tlab.trainer.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The pipeline reuses its native pixel buffers, so a pass's memory is bounded, without changing any batch. */
class BatchPipelineTest {

    private static final int SIZE = 16;
    private static final CifarRecords DATA = CifarRecords.fromBytes(SyntheticCifar.records(200, 3));

    @Test
    void aPassUsesAtMostPrefetchPlusTwoBuffersAndEveryBatchIsWhatAFreshPassGives() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            int prefetch = 3;
            Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            List<float[]> recycled = new ArrayList<>();
            try (BatchPipeline p =
                    BatchPipeline.training(DATA, 10, new ImageTransforms(SIZE), 7, 2, workers, prefetch)) {
                while (p.hasNext()) {
                    Batch b = p.next();
                    float[] asHanded = floats(b);
                    Thread.sleep(5); // the workers fill the free buffers meanwhile; the one handed out must stay intact
                    assertArrayEquals(asHanded, floats(b), "a batch changed while the consumer held it");
                    distinct.add(b.pixels());
                    recycled.add(asHanded);
                }
            }
            assertEquals(20, recycled.size());
            assertTrue(distinct.size() <= prefetch + 2, distinct.size() + " native buffers for one pass");

            // the same pass with a pipeline that never had to reuse anything yet: identical batches, in order
            try (BatchPipeline fresh = BatchPipeline.training(DATA, 10, new ImageTransforms(SIZE), 7, 2, workers, 20)) {
                for (float[] expected : recycled) {
                    assertArrayEquals(expected, floats(fresh.next()));
                }
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static float[] floats(Batch b) {
        float[] out = new float[b.pixels().capacity() / Float.BYTES];
        b.pixels().asFloatBuffer().get(out);
        return out;
    }
}
