package dev.tlab.contracts;

/**
 * What ran a job, for the record of how a result was made. Every field may be null (an older trainer, or a value the
 * trainer could not find out).
 *
 * @param engine the DJL engine, e.g. {@code PyTorch}
 * @param djlVersion e.g. {@code 0.36.0}
 * @param libtorchVersion the libtorch DJL loaded, e.g. {@code 2.7.1}
 * @param flavor {@code cpu}, or a CUDA flavour such as {@code cu128}
 * @param trainerVersion the trainer service's version
 * @param instance the trainer replica (the pod name in Kubernetes)
 * @param memoryFormat how this job's images were laid out in memory for the model: {@link #CHANNELS_LAST} or
 *     {@link #CONTIGUOUS} ({@code tlab.trainer.channels-last}, decided per job when {@code auto}); a speed setting,
 *     null from older trainers (which were contiguous)
 */
public record RunEnvironment(
        String engine,
        String djlVersion,
        String libtorchVersion,
        String flavor,
        String trainerVersion,
        String instance,
        String memoryFormat) {
    public static final String CHANNELS_LAST = "channels-last";
    public static final String CONTIGUOUS = "contiguous";

    /** The memory format's name for the trainer's setting. */
    public static String memoryFormat(boolean channelsLast) {
        return channelsLast ? CHANNELS_LAST : CONTIGUOUS;
    }
}
