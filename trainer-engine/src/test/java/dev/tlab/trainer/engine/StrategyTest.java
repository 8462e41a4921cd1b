package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyTest {

    @Test
    void globStarMatchesAnythingAndDotIsLiteral() {
        ParameterGlob g = new ParameterGlob("layer4.*");
        assertTrue(g.matches("layer4.0.conv1.weight"));
        assertTrue(g.matches("layer4."));
        assertFalse(g.matches("layer40.weight"));
        assertFalse(g.matches("layer4x0.weight"), "'.' must be literal, not any character");
        assertFalse(g.matches("xlayer4.0.weight"), "the whole name must match");
        assertTrue(new ParameterGlob("*").matches("fc.bias"));
        assertTrue(new ParameterGlob("*.bias").matches("layer1.0.bn1.bias"));
        assertTrue(new ParameterGlob("fc.weight").matches("fc.weight"));
    }

    @Test
    void builtInsFollowTheNotebook() {
        assertEquals(List.of("conv1.*", "bn1.*", "fc.*"), Strategy.FREEZE.patterns());
        assertTrue(Strategy.FREEZE.isTrainable("conv1.weight"), "the notebook leaves the stem trainable");
        assertFalse(Strategy.FREEZE.isTrainable("layer1.0.bn1.weight"));
        assertTrue(Strategy.PARTIAL.isTrainable("layer4.1.bn2.bias"));
        assertFalse(Strategy.PARTIAL.isTrainable("bn1.weight"));
        assertEquals(Strategy.PARTIAL, Strategy.builtIn("Partial"));
        assertThrows(IllegalArgumentException.class, () -> Strategy.builtIn("half"));
        assertThrows(IllegalArgumentException.class, () -> Strategy.of("x", " "));
    }

    @Test
    void planSplitsHeadBackboneAndFrozen() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("conv1.weight", 10L);
        sizes.put("layer3.0.conv1.weight", 100L);
        sizes.put("layer4.0.conv1.weight", 1000L);
        sizes.put("fc.weight", 20L);
        sizes.put("fc.bias", 2L);
        ParameterPlan plan = new StrategyPlanner().plan(Strategy.of("upper", "layer3.*", "layer4.*", "fc.*"), sizes);
        assertEquals(1122, plan.trainableParameters());
        assertEquals(1132, plan.totalParameters());
        assertEquals(List.of("fc.weight", "fc.bias"), plan.headNames());
        assertEquals(List.of("conv1.weight"), plan.frozenNames());
    }
}
