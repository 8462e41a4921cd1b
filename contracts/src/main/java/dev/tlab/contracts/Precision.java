package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The number format the model computes in. Parameters, optimizer state, BatchNorm statistics and the loss stay float32
 * whatever is chosen; only the forward's matrix work (convolutions, the classifier) runs in the lower format, as
 * {@code torch.autocast} does. A result always says which it was, because it can change accuracy.
 */
public enum Precision {
    /** float32 everywhere: the notebook's setting and the default. */
    FP32("fp32"),
    /** bfloat16 compute with float32 weights and state; CPU and GPU. */
    BF16("bf16"),
    /** float16 compute with float32 weights and state and a dynamic loss scale; GPU only. */
    FP16("fp16");

    public static final Precision DEFAULT = FP32;
    private final String wireName;

    Precision(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether a CPU can run it (float16 training on a CPU is neither fast nor supported by the engine). */
    public boolean runsOnCpu() {
        return this != FP16;
    }

    @JsonCreator
    public static Precision of(String value) {
        if (value == null) {
            return null;
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.wireName.equals(wanted)) {
                return p;
            }
        }
        throw new InvalidFieldException(
                "precision",
                "unknown precision " + Fields.quote(value) + ", expected one of "
                        + Arrays.stream(values()).map(Precision::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
