package dev.tlab.trainer.engine;

import ai.djl.Device;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.Precision;

/** Which precisions a device can train in: float16 only on a GPU (a CPU has no fast float16 and no loss scaler). */
public final class PrecisionSupport {
    private PrecisionSupport() {}

    /**
     * @param field the request field that asked for it, named in the refusal
     * @throws InvalidFieldException when the device cannot train in that precision
     */
    public static void require(Precision precision, Device device, String field) {
        if (!precision.runsOnCpu() && !device.isGpu()) {
            throw new InvalidFieldException(
                    field,
                    precision + " trains only on a GPU and this trainer runs on " + device + ": ask for "
                            + Precision.BF16 + " (mixed precision on a CPU) or " + Precision.FP32);
        }
    }
}
