package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule by which {@code auto} picks channels-last per job, from the figures in its doc comment. No DJL. */
class ChannelsLastTest {

    private static final boolean CPU = false;
    private static final boolean GPU = true;

    private static boolean auto(String strategy, int px) {
        return auto(StrategySpec.named(strategy), px, Precision.FP32, CPU);
    }

    private static boolean auto(StrategySpec strategy, int px, Precision precision, boolean gpu) {
        HyperParameters hp = HyperParameters.notebook().withImageSize(px).withPrecision(precision);
        return ChannelsLast.AUTO.forJob(strategy, hp, gpu);
    }

    @Test
    void at224PxEveryStrategyTrainsChannelsLast() {
        for (String s : List.of("freeze", "partial", "full")) {
            assertTrue(auto(s, 224), s);
        }
        assertTrue(auto(new StrategySpec("head", List.of("fc.*")), 224, Precision.FP32, CPU), "any strategy");
    }

    @Test
    void at32PxFreezeAndPartialWhereTheyWereFaster() {
        assertTrue(auto("freeze", 32));
        assertTrue(auto("partial", 32), "AMD EPYC, whole epoch: 900 against 846 img/s");
        assertFalse(auto("full", 32), "level: no gain");
        assertFalse(
                auto(new StrategySpec("partial", List.of("layer3.*", "layer4.*", "fc.*")), 32, Precision.FP32, CPU),
                "a strategy named partial that trains more was not measured");
        assertFalse(
                auto(new StrategySpec("freeze", List.of("fc.*")), 32, Precision.FP32, CPU),
                "a strategy named freeze that trains something else was not measured");
        assertTrue(
                auto(new StrategySpec("stem-and-head", List.of("conv1.*", "bn1.*", "fc.*")), 32, Precision.FP32, CPU),
                "the notebook's freeze under another name");
    }

    @Test
    void sizesBetweenTakeTheNearerMeasuredSizeOnALogScale() {
        assertFalse(auto("full", 84));
        assertTrue(auto("full", 85));
        assertTrue(auto("full", 512));
        assertTrue(auto("freeze", 8));
        assertFalse(auto("full", 64));
    }

    @Test
    void bf16OnACpuFollowsTheRuleMeasuredForIt() {
        // AMD EPYC with AVX-512 BF16, 2026-12-07: 224 px channels-last faster for every strategy (partial 55.7 against
        // 48.8 img/s, full 31.6 against 26.7, freeze 39.5 against 36.4); 32 px freeze 949 against 885, partial 749
        // against 670, full 388 against 448
        for (String strategy : List.of("freeze", "partial", "full")) {
            assertTrue(auto(StrategySpec.named(strategy), 224, Precision.BF16, CPU), strategy);
        }
        assertTrue(auto(StrategySpec.named("freeze"), 32, Precision.BF16, CPU));
        assertTrue(auto(StrategySpec.named("partial"), 32, Precision.BF16, CPU), "749 against 670 img/s");
        assertFalse(auto(StrategySpec.named("full"), 32, Precision.BF16, CPU), "388 against 448 img/s");
    }

    @Test
    void whatWasNotMeasuredKeepsTheNotebooksLayout() {
        StrategySpec freeze = StrategySpec.named("freeze");
        assertFalse(auto(freeze, 224, Precision.FP32, GPU), "no GPU figures");
        assertFalse(auto(freeze, 224, Precision.BF16, GPU), "no GPU figures");
        assertFalse(auto(freeze, 224, Precision.FP16, GPU), "float16 trains on GPUs only, not measured there");
    }

    @Test
    void trueAndFalseAreNotDecidedPerJob() {
        HyperParameters small = HyperParameters.notebook().withImageSize(32);
        HyperParameters large = HyperParameters.notebook().withImageSize(224);
        for (boolean gpu : new boolean[] {CPU, GPU}) {
            assertTrue(ChannelsLast.ON.forJob(StrategySpec.named("partial"), small, gpu));
            assertFalse(ChannelsLast.OFF.forJob(StrategySpec.named("freeze"), large, gpu));
        }
    }

    @Test
    void theSettingIsAutoTrueOrFalseAndAutoByDefault() {
        assertEquals(ChannelsLast.AUTO, ChannelsLast.of("auto"));
        assertEquals(ChannelsLast.ON, ChannelsLast.of(" TRUE "));
        assertEquals(ChannelsLast.OFF, ChannelsLast.of("false"));
        for (String bad : new String[] {"maybe", "", "yes", "1", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelsLast.of(bad));
            assertTrue(e.getMessage().contains("auto, true or false"), e.getMessage());
        }
        assertEquals(
                ChannelsLast.AUTO,
                EngineSettings.defaults(Path.of("checkpoints"), Path.of("cache"))
                        .channelsLast());
    }
}
