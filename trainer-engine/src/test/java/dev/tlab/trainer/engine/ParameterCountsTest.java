package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.model.ModelSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's counts on a real full-size ResNet-18 (constant weights), from the dry-run plan. */
class ParameterCountsTest {

    @TempDir
    Path dir;

    @Test
    void trainableCountsOfTheStudy() {
        TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(dir.resolve("ckpt"), dir.resolve("cache"))
                .withModelAccess(ModelAccess.folders(TestData.fullModel().getParent())));
        StrategySpec upper = new StrategySpec("upper", List.of("layer3.*", "layer4.*", "fc.*"));
        List<ParameterPlan> plans = engine.plan(
                ModelSource.of(TestData.fullModel().toString()),
                List.of(StrategySpec.named("freeze"), StrategySpec.named("partial"), StrategySpec.named("full"), upper),
                HyperParameters.notebook());
        assertEquals(14_666, plans.get(0).trainableParameters());
        assertEquals(8_398_858, plans.get(1).trainableParameters());
        assertEquals(11_181_642, plans.get(2).trainableParameters());
        assertEquals(10_498_570, plans.get(3).trainableParameters());
        for (ParameterPlan p : plans) {
            assertEquals(11_181_642, p.totalParameters(), p.strategy());
            assertEquals(List.of("fc.weight", "fc.bias"), p.headNames(), p.strategy());
        }
        assertEquals(
                List.of("conv1.weight", "bn1.weight", "bn1.bias", "fc.weight", "fc.bias"),
                plans.get(0).trainableNames());
    }
}
