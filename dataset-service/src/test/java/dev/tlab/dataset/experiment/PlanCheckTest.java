package dev.tlab.dataset.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner's refusal names a field of its own body; the experiment's 400 names the same field where it sits in the
 * experiment request. (The refusals themselves, from a real trainer, are in lab-cli's RequestChecksIT.)
 */
class PlanCheckTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            precision                  | hyperParameters.precision
            headPatterns[0]            | hyperParameters.headPatterns[0]
            headPatterns               | hyperParameters.headPatterns
            strategies[1].trainable[0] | strategies[1].trainable[0]
            model.uri                  | model.uri
            $                          | $
            """)
    void aPlannerFieldIsNamedAsTheExperimentRequestNamesIt(String plannerField, String requestField) {
        assertEquals(requestField, PlanCheck.requestField(plannerField));
    }
}
