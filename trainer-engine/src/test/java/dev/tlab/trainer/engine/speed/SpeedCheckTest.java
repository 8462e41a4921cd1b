package dev.tlab.trainer.engine.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.trainer.engine.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's measurement, run here on the CPU with the narrow model at 32 px (a GPU runs the same code with the
 * full-size model at 224 px): every strategy measured, rates positive, the projection of the notebook's study.
 */
class SpeedCheckTest {

    @Test
    void measuresEachStrategyAndProjectsTheNotebooksStudy() throws InterruptedException {
        SpeedCheck check = new SpeedCheck(Device.cpu(), TestData.narrowModel(), 32, 2, 2);
        List<StrategySpeed> all = check.measure();
        assertEquals(
                List.of("freeze", "partial", "full"),
                all.stream().map(StrategySpeed::strategy).toList());
        for (StrategySpeed f : all) {
            assertTrue(
                    f.fedImagesPerSecond() > 0 && f.modelImagesPerSecond() > 0 && f.evalImagesPerSecond() > 0,
                    f.toString());
            assertTrue(f.dataWaitShare() >= 0 && f.dataWaitShare() <= 1, f.toString());
            assertTrue(f.projectedSeconds() > 10 * 3000 / f.fedImagesPerSecond(), f.toString());
            assertEquals(0, f.memoryInUse(), "no device memory on a CPU");
            // the fused update takes its scalars by value: no tensor made from a host number, whatever the strategy
            assertEquals(0, f.optimizerStep().scalarTensors(), f.toString());
            assertTrue(f.optimizerStep().fusedCalls() >= 1, f.toString());
        }
        assertTrue(all.get(0).trainable() < all.get(1).trainable()
                && all.get(1).trainable() < all.get(2).trainable());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SpeedReport.print(out, check, all, false);
        SpeedReport.printMarkdown(out, check, all, "CPU");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.contains("Projected time of the notebook's experiment (3 strategies x 10 epochs x 3,000"
                        + " images, then 10,000 test images each), at 32 px"),
                text);
        assertTrue(text.matches("(?s).*\\n\\| full \\| [\\d,]+ \\| \\d+\\.\\d \\| \\d+\\.\\d \\|.*"), text);
        assertTrue(text.contains("full: the optimizer step made 0 tensors from host numbers ("), text);
        assertTrue(text.matches("(?s).*\\n\\| freeze \\|.*\\| 0 \\| [^|]+ \\|\\n.*"), text);
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertEquals("42 s", SpeedReport.duration(42.4));
        assertEquals("4 min 05 s", SpeedReport.duration(245));
        assertEquals("2 h 03 min", SpeedReport.duration(7380));
    }
}
