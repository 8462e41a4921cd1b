package dev.tlab.trainer.engine;

import ai.djl.pytorch.jni.JniUtils;
import java.util.OptionalInt;

/**
 * libtorch's intra-op thread pool sized by the CPUs this process may use rather than by the node's. Left alone,
 * libtorch (OpenMP) starts one thread per CPU it sees in its affinity mask, which in a container is every CPU of the
 * node, whatever the pod's CPU limit: a trainer limited to 4 CPUs on a 64-core node would run 64 threads against a CFS
 * quota of 4 and spend most of each step throttled. The JVM's {@code availableProcessors()} reads the container's CPU
 * limit (JDK container support), so that is the count used. Measured here: on a 2-CPU machine a JVM started with
 * {@code -XX:ActiveProcessorCount=1} left libtorch at 2 intra-op threads until this set it to 1.
 *
 * <p>What the operator set wins: {@code -Dai.djl.pytorch.num_threads} (DJL applies it when the engine starts) or
 * {@code OMP_NUM_THREADS} (libtorch's OpenMP reads it). The count is only ever lowered.
 */
public final class IntraOpThreads {

    /** DJL 0.36's system property for libtorch's intra-op threads (read once, by {@code PtEngine.newInstance}). */
    static final String DJL_PROPERTY = "ai.djl.pytorch.num_threads";

    private IntraOpThreads() {}

    /**
     * The count to set, or empty to leave libtorch's: the process's CPUs where nothing was configured and libtorch runs
     * more threads than that.
     */
    static OptionalInt fitted(String djlProperty, String ompNumThreads, int processCpus, int libtorchThreads) {
        boolean configured =
                (djlProperty != null && !djlProperty.isBlank()) || (ompNumThreads != null && !ompNumThreads.isBlank());
        if (configured || processCpus < 1 || processCpus >= libtorchThreads) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(processCpus);
    }

    /**
     * Fits the loaded engine's pool to this process's CPUs (see the class comment); idempotent.
     *
     * @return the intra-op threads libtorch uses now
     */
    public static int fitToProcessCpus() {
        OptionalInt fit = fitted(
                System.getProperty(DJL_PROPERTY),
                System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                JniUtils.getNumThreads());
        if (fit.isPresent()) {
            System.getLogger(IntraOpThreads.class.getName())
                    .log(
                            System.Logger.Level.INFO,
                            "libtorch intra-op threads: " + fit.getAsInt() + " (this process's CPUs; libtorch had "
                                    + JniUtils.getNumThreads() + ", the machine's); set " + DJL_PROPERTY
                                    + " or OMP_NUM_THREADS to choose");
            JniUtils.setNumThreads(fit.getAsInt());
        }
        return JniUtils.getNumThreads();
    }
}
