package dev.tlab.trainer.engine.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.tlab.contracts.Precision;
import org.junit.jupiter.api.Test;

/** The switch really changes what libtorch computes in, on this thread only, and is undone on close. */
class AutocastTest {

    @Test
    void aConvolutionUnderBf16AutocastComputesInBf16AndFloat32Otherwise() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 8));
            NDArray w = m.randomNormal(new Shape(4, 3, 3, 3));
            assertNull(Autocast.enter(Precision.FP32, Device.cpu()));
            NDArray exact = conv(x, w);
            assertEquals(DataType.FLOAT32, exact.getDataType());
            try (Autocast on = Autocast.enter(Precision.BF16, Device.cpu())) {
                assertTrue(Autocast.isEnabled(Device.cpu()));
                NDArray low = conv(x, w);
                // DJL 0.36 has no name for libtorch's bfloat16 and reports it as UNKNOWN; what matters is that it is
                // not float32 and holds the same numbers to bfloat16's 8 bits of mantissa
                assertNotEquals(DataType.FLOAT32, low.getDataType());
                NDArray back = low.toType(DataType.FLOAT32, false);
                assertTrue(back.sub(exact).abs().max().getFloat()
                        <= 0.05f * exact.abs().max().getFloat());
                // element-wise work is not autocast: it keeps its inputs' type
                assertEquals(DataType.FLOAT32, x.add(1f).getDataType());
            }
            assertFalse(Autocast.isEnabled(Device.cpu()));
            assertEquals(DataType.FLOAT32, conv(x, w).getDataType());
        }
    }

    private static NDArray conv(NDArray x, NDArray w) {
        return Conv2d.conv2d(x, w).head();
    }
}
