package dev.tlab.trainer.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's command line, run here on the CPU with the narrow model at 32 px (the GPU run uses the same code with
 * the full-size model at 224 px; the measurement itself is the engine's, tested by SpeedCheckTest), and its answer when
 * a GPU is demanded on this machine.
 */
class GpuCheckTest {

    @Test
    void measuresEachStrategyAndProjectsTheNotebooksExperiment() {
        Result r = run(
                "--device",
                "cpu",
                "--model",
                Path.of("../models/resnet18-narrow.pt").toAbsolutePath().toString(),
                "--image-size",
                "32",
                "--steps",
                "2",
                "--data-threads",
                "2",
                "--markdown");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("libtorch      PyTorch 2.7.1, cpu build"), r.output());
        for (String strategy : new String[] {"freeze", "partial", "full"}) {
            Matcher row = Pattern.compile(
                            "(?m)^" + strategy + " +[\\d,]+ +(\\d+\\.\\d) +(\\d+\\.\\d) +\\d+% +(\\d+\\.\\d) ")
                    .matcher(r.output());
            assertTrue(row.find(), strategy + " row in\n" + r.output());
            assertTrue(Double.parseDouble(row.group(1)) > 0 && Double.parseDouble(row.group(3)) > 0, row.group());
        }
        assertTrue(
                r.output()
                        .contains("Projected time of the notebook's experiment (3 strategies x 10 epochs x 3,000"
                                + " images, then 10,000 test images each), at 32 px"),
                r.output());
        assertTrue(r.output().matches("(?s).*one trainer, the strategies one after another: \\d+.*"), r.output());
        assertTrue(r.output().contains("| strategy | trainable | train img/s (pipeline) |"), r.output());
        assertTrue(r.output().contains("CPU, libtorch 2.7.1 (cpu), 32 px"), r.output());
    }

    @Test
    void aGpuDemandedHereEndsWithTheReasonAndTheLibtorchExitCode() {
        Result r = run("--device", "gpu");
        assertEquals(GpuCheck.NO_CUDA_LIBTORCH, r.exitCode(), r.output());
        assertTrue(
                r.output().contains("no usable libtorch: device 'gpu' was requested but DJL loaded a CPU build"),
                r.output());
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertEquals(2, run("--steps", "0").exitCode());
        assertEquals(2, run("--model", "/nowhere.pt").exitCode());
        assertEquals(2, run("--sideways").exitCode());
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new GpuCheck(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(args);
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
