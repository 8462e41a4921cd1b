package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.StrategySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine applies the contracts' strategies as they are; the glob rule itself is tested in contracts. */
class StrategyTest {

    @Test
    void builtInsFollowTheNotebook() {
        StrategySpec freeze = StrategySpec.named("freeze");
        assertEquals(List.of("conv1.*", "bn1.*", "fc.*"), freeze.trainable());
        assertTrue(freeze.isTrainable("conv1.weight"), "the notebook leaves the stem trainable");
        assertFalse(freeze.isTrainable("layer1.0.bn1.weight"));
        assertTrue(StrategySpec.named("partial").isTrainable("layer4.1.bn2.bias"));
        assertFalse(StrategySpec.named("partial").isTrainable("bn1.weight"));
    }

    @Test
    void planSplitsHeadBackboneAndFrozen() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("conv1.weight", 10L);
        sizes.put("layer3.0.conv1.weight", 100L);
        sizes.put("layer4.0.conv1.weight", 1000L);
        sizes.put("fc.weight", 20L);
        sizes.put("fc.bias", 2L);
        ParameterPlan plan =
                new StrategyPlanner().plan(new StrategySpec("upper", List.of("layer3.*", "layer4.*", "fc.*")), sizes);
        assertEquals(1122, plan.trainableParameters());
        assertEquals(1132, plan.totalParameters());
        assertEquals(List.of("fc.weight", "fc.bias"), plan.headNames());
        assertEquals(List.of("conv1.weight"), plan.frozenNames());
    }
}
