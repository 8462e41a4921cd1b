package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a completed job cost on its one device (part of {@link JobCompleted}): the seconds and images of its training
 * epochs (every epoch of the job, also those an earlier attempt trained before a resume) and of its final evaluation,
 * and the peak memory it used. Written without its null fields.
 *
 * @param trainSeconds the training epochs' seconds added up
 * @param trainImages the images those epochs trained (images per epoch x epochs)
 * @param evalSeconds the final evaluation's seconds
 * @param evalImages the test images it evaluated
 * @param peakMemoryBytes the peak memory of the job, as {@code peakMemory} says; null when it could not be measured
 * @param peakMemory what {@code peakMemoryBytes} measured: {@value #DEVICE} (on a GPU: the device memory in use,
 *     sampled after each epoch and after the evaluation) or {@value #PROCESS_RSS} (on a CPU: the trainer process's peak
 *     resident set size since the job started, Linux's {@code VmHWM})
 * @param validationSeconds for a job with an epoch selection, its validation passes' seconds added up (device time
 *     beside training and the final evaluation); null without one
 * @param validationImages the images those passes evaluated (validation images x epochs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobCost(
        Double trainSeconds,
        Long trainImages,
        Double evalSeconds,
        Long evalImages,
        Long peakMemoryBytes,
        String peakMemory,
        Double validationSeconds,
        Long validationImages) {
    public static final String DEVICE = "device";
    public static final String PROCESS_RSS = "process-rss";

    /** A job without validation passes. */
    public JobCost(
            Double trainSeconds,
            Long trainImages,
            Double evalSeconds,
            Long evalImages,
            Long peakMemoryBytes,
            String peakMemory) {
        this(trainSeconds, trainImages, evalSeconds, evalImages, peakMemoryBytes, peakMemory, null, null);
    }

    public JobCost {
        notNegative(Fields.required(trainSeconds, "cost.trainSeconds"), "cost.trainSeconds");
        notNegative(Fields.required(trainImages, "cost.trainImages"), "cost.trainImages");
        notNegative(Fields.required(evalSeconds, "cost.evalSeconds"), "cost.evalSeconds");
        notNegative(Fields.required(evalImages, "cost.evalImages"), "cost.evalImages");
        if ((validationSeconds == null) != (validationImages == null)) {
            throw new InvalidFieldException(
                    "cost.validationSeconds", "comes with cost.validationImages, or neither is given");
        }
        if (validationSeconds != null) {
            notNegative(validationSeconds, "cost.validationSeconds");
            notNegative(validationImages, "cost.validationImages");
        }
        if (peakMemoryBytes != null) {
            notNegative(peakMemoryBytes, "cost.peakMemoryBytes");
            if (!DEVICE.equals(peakMemory) && !PROCESS_RSS.equals(peakMemory)) {
                throw new InvalidFieldException(
                        "cost.peakMemory",
                        "must be " + DEVICE + " or " + PROCESS_RSS + " when peakMemoryBytes is given, was "
                                + Fields.quote(peakMemory));
            }
        }
    }

    private static void notNegative(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number >= 0, was " + value);
        }
    }
}
