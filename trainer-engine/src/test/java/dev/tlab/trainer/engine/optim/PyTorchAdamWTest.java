package dev.tlab.trainer.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer's step as the device sees it: what it hands over per step does not grow with the number of parameter
 * tensors (the seam {@link PyTorchAdamW.StepTrace}), and no operation of a step allocates anything the size of a
 * parameter (libtorch's own profiler, which records every allocation of every operation). The unfused update this
 * replaced made a scalar tensor per number (a host-to-device copy each on a GPU) and four temporaries per parameter.
 */
class PyTorchAdamWTest {
    private static final int ELEMENTS = 100_000; // 400 kB per tensor

    @Test
    void theScalarsOfAStepDoNotGrowWithTheParameterTensors() {
        PyTorchAdamW.StepTrace few = oneStep(3, null);
        PyTorchAdamW.StepTrace many = oneStep(30, null);
        assertEquals(few, many, "3 tensors against 30");
        assertEquals(0, many.scalarTensors(), "no tensor is made from a host number during a step");
        assertEquals(2, many.fusedCalls(), "one fused call per learning-rate group");
        assertEquals(10, many.scalarArguments(), "lr, beta1, beta2, weight decay and eps per group, by value");
    }

    @Test
    void noOperationOfAStepAllocatesAParameterSizedTemporary(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("step.json");
        oneStep(12, trace);
        List<Long> allocations = new ArrayList<>();
        for (JsonNode event : new ObjectMapper().readTree(trace.toFile())) {
            allocations.add(bytes(event.get("cpu mem").asText()));
        }
        assertTrue(allocations.size() > 12, "the profiler saw the step's operations: " + allocations.size());
        long largest = allocations.stream().mapToLong(Long::longValue).max().orElseThrow();
        // the fused kernel reads each step count through a 4-byte scalar; a temporary would be 400 kB
        assertTrue(largest < 1024, "largest allocation of one operation: " + largest + " bytes");
    }

    @Test
    void aParameterWithoutAGradientIsLeftAloneAsPyTorchDoes() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray used = parameter(manager, 1);
            NDArray unused = parameter(manager, 2);
            float[] unusedBefore = unused.toFloatArray();
            try (PyTorchAdamW adamW = PyTorchAdamW.builder()
                    .parameter("used", used, 1e-3)
                    .parameter("unused", unused, 1e-3)
                    .build()) {
                backward(List.of(used));
                adamW.step();
                assertEquals(1, adamW.stepCount("used"));
                assertEquals(0, adamW.stepCount("unused"));
                assertEquals(0, adamW.stepCount("no-such-parameter"));
                assertTrue(java.util.Arrays.equals(unusedBefore, unused.toFloatArray()));
            }
        }
    }

    /** One step over {@code tensors} parameters in two learning-rate groups; profiled into {@code trace} if given. */
    private static PyTorchAdamW.StepTrace oneStep(int tensors, Path trace) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            List<NDArray> weights = new ArrayList<>();
            PyTorchAdamW.Builder builder = PyTorchAdamW.builder();
            for (int i = 0; i < tensors; i++) {
                NDArray w = parameter(manager, i);
                weights.add(w);
                builder.parameter("p" + i, w, i % 2 == 0 ? 1e-3 : 1e-4);
            }
            try (PyTorchAdamW adamW = builder.build()) {
                backward(weights);
                adamW.step(); // the first step, outside the trace: libtorch compiles the method on its first call
                backward(weights);
                if (trace != null) {
                    JniUtils.startProfile(false, false, true);
                }
                try {
                    adamW.step();
                } finally {
                    if (trace != null) {
                        JniUtils.stopProfile(trace.toString());
                    }
                }
                assertEquals(2, adamW.stepCount("p0"));
                return adamW.lastStep();
            }
        }
    }

    private static NDArray parameter(NDManager manager, int seed) {
        NDArray w = manager.arange(ELEMENTS)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mul(1e-5f * (seed + 1))
                .reshape(new Shape(ELEMENTS));
        w.setRequiresGradient(true);
        return w;
    }

    /** Gradients from sum(w^2): every weight gets 2w. */
    private static void backward(List<NDArray> weights) {
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = null;
            for (NDArray w : weights) {
                NDArray l = w.square().sum();
                loss = loss == null ? l : loss.add(l);
            }
            collector.backward(loss);
        }
    }

    /** DJL's profiler writes sizes as "4 b", "1.53 Kb", "2.00 Mb"; frees are negative. */
    private static long bytes(String text) {
        String[] parts = text.trim().split(" ");
        double value = Double.parseDouble(parts[0]);
        return (long) (value
                * switch (parts[1].toLowerCase(Locale.ROOT)) {
                    case "b" -> 1L;
                    case "kb" -> 1L << 10;
                    case "mb" -> 1L << 20;
                    case "gb" -> 1L << 30;
                    default -> throw new IllegalArgumentException(text);
                });
    }
}
