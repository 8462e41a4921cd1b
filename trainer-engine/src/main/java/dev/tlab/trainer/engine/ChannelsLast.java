package dev.tlab.trainer.engine;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import java.util.Locale;

/**
 * The {@code tlab.trainer.channels-last} setting, {@code auto} (the default), {@code true} or {@code false}, and the
 * rule by which {@code auto} picks each job's memory format: channels-last where it was measured at least as fast, the
 * notebook's contiguous layout everywhere else. Both layouts are the same computation (PrecisionAndMemoryFormatTest;
 * accuracy over three seeds in docs/benchmarks.md, "Channels-last and accuracy").
 *
 * <p>What {@code auto} rests on (docs/benchmarks.md), all on 2-vCPU x86 machines (an Intel Xeon and an AMD EPYC), fp32,
 * the full-size ResNet-18, batch 64:
 *
 * <ul>
 *   <li>224 px, every strategy on: the trainer end to end (section "End to end against the notebook's own loop",
 *       2026-12-07, Intel Xeon, 7 timed batches a row) trained freeze at 23.6 against 19.6 img/s contiguous, partial
 *       38.1 against 31.1, full 18.8 against 12.2; model alone on 2026-11-30 (AMD EPYC, "Results") 11.1/8.89,
 *       14.7/12.2, 6.34/6.01; issue 30's `./lab run` on the AMD machine 12.1/8.9, 15.1/14.3 and 7.0/7.1 (full level).
 *   <li>32 px, freeze and partial: freeze end to end 645 against 504 img/s (2026-12-07, Xeon), model alone 352 against
 *       262 (2026-11-30; the 2026-12-07 model-alone row, 446 against 603, is the one figure the other way); on the AMD
 *       EPYC with the trainers' tcmalloc, whole epoch (2026-12-07 21:44, "tcmalloc, the trainers' allocator") 889
 *       against 752. Partial on the AMD EPYC: 900 against 846 img/s end to end (whole epoch, tcmalloc), 849 against 644
 *       and 660 against 625 (10 and 24 batches, tcmalloc), 630 against 604 (whole epoch, glibc), bf16 749 against 670;
 *       the other way in a run disturbed by a test run before it (497 against 594) and on the Xeon with glibc's malloc
 *       (485 against 541, 7 batches), not measured there since. Full stays contiguous: each layout faster in some runs
 *       (489 against 483, 441 against 453, 327 against 333, 372 against 335, 360 against 347; Xeon 332 against 329;
 *       bf16 388 against 448). With the trainers' short OpenMP spin (2026-12-08, docs/benchmarks.md "OpenMP's idle
 *       workers", 23 batches a row): freeze 1072 against 904, partial 932 against 954 (level), full 496 against 535.
 *   <li>Sizes in between were not measured: a size takes the decision of the nearer measured size on a log scale, so
 *       from {@value #MEASURED_LARGE_FROM_PX} px (√(32 × 224) ≈ 84.7) that of 224 px.
 *   <li>bf16 on a CPU (the experiment's {@code precision: bf16}; an AMD EPYC with AVX-512 BF16, model alone,
 *       2026-12-07, docs/benchmarks.md "Where the time goes, bf16, and the allocator"): the same rule holds. 224 px
 *       channels-last against contiguous: freeze 39.5 against 36.4 img/s, partial 55.7 against 48.8, full 31.6 against
 *       26.7; 32 px freeze 949 against 885, partial 749 against 670, full 388 against 448.
 *   <li>Not measured, so contiguous: GPUs, fp16 (GPU-only), and at small sizes any strategy other than the notebook's
 *       freeze and partial (compared by their trainable patterns, not their names).
 * </ul>
 */
public enum ChannelsLast {
    AUTO("auto"),
    ON("true"),
    OFF("false");

    /** The smallest image size that takes the decision measured at 224 px. */
    public static final int MEASURED_LARGE_FROM_PX = 85;

    private final String value;

    ChannelsLast(String value) {
        this.value = value;
    }

    /** The setting as written in the configuration. */
    public String value() {
        return value;
    }

    /**
     * The setting from its configured value, case and surrounding blanks ignored.
     *
     * @throws IllegalArgumentException for anything but auto, true or false
     */
    public static ChannelsLast of(String configured) {
        String v = configured == null ? "" : configured.strip().toLowerCase(Locale.ROOT);
        for (ChannelsLast c : values()) {
            if (c.value.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("must be auto, true or false, was '" + configured + "'");
    }

    /** Whether this job's images go to the model channels-last, on a GPU or not. */
    public boolean forJob(TrainingJob job, boolean gpu) {
        return forJob(job.strategy(), job.hyperParameters(), gpu);
    }

    /** The same from a job's strategy and hyper-parameters. */
    public boolean forJob(StrategySpec strategy, HyperParameters hp, boolean gpu) {
        return switch (this) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> measuredFaster(strategy, hp, gpu);
        };
    }

    private static boolean measuredFaster(StrategySpec strategy, HyperParameters hp, boolean gpu) {
        if (gpu || hp.precision() == Precision.FP16) {
            return false;
        }
        if (hp.imageSize() >= MEASURED_LARGE_FROM_PX) {
            return true;
        }
        return strategy.trainable().equals(StrategySpec.BUILT_IN.get(StrategySpec.FREEZE))
                || strategy.trainable().equals(StrategySpec.BUILT_IN.get(StrategySpec.PARTIAL));
    }
}
