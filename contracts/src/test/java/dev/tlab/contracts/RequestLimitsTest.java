package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One rule for the bounds of an experiment and of a plan, each refusal naming the field and the key that sets it. */
class RequestLimitsTest {
    private static final RequestLimits TRAINER = RequestLimits.defaults("tlab.trainer.limits");

    @Test
    void aPlanOfAThousandStrategiesIsRefusedNamingTheKey() {
        List<StrategySpec> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new StrategySpec("s" + i, List.of("fc.*")));
        }
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> TRAINER.check(new PlanRequest(null, many, null, null)));
        assertEquals("strategies", e.field());
        assertEquals("at most 16 strategies (tlab.trainer.limits.max-strategies), was 1000", e.reason());
    }

    @Test
    void aPlansPatternsAreBoundedInNumberAndLength() {
        InvalidFieldException tooMany = assertThrows(
                InvalidFieldException.class,
                () -> TRAINER.check(
                        new PlanRequest(null, List.of(new StrategySpec("wide", nCopies(33, "fc.*"))), null, null)));
        assertEquals("strategies[0].trainable", tooMany.field());
        InvalidFieldException tooLong = assertThrows(
                InvalidFieldException.class,
                () -> TRAINER.check(new PlanRequest(null, null, List.of("fc.*", "x".repeat(129)), null)));
        assertEquals("headPatterns[1]", tooLong.field());
        assertEquals("at most 128 characters (tlab.trainer.limits.max-pattern-length), was 129", tooLong.reason());
        TRAINER.check(new PlanRequest(null, null, null, null)); // the notebook's plan is within every bound
    }

    @Test
    void anExperimentNamesTheDatasetServicesKeys() {
        RequestLimits dataset = RequestLimits.defaults("tlab.dataset.limits");
        ExperimentRequested request =
                Requests.submission("{\"hyperParameters\": {\"epochs\": 101}}").toEvent();
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> dataset.check(request));
        assertEquals("hyperParameters.epochs", e.field());
        assertEquals("at most 100 epochs (tlab.dataset.limits.max-epochs), was 101", e.reason());
    }

    private static List<String> nCopies(int n, String value) {
        return java.util.Collections.nCopies(n, value);
    }
}
