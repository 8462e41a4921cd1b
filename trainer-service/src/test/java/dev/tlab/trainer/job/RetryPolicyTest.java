package dev.tlab.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.trainer.data.DatasetClient;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import dev.tlab.trainer.engine.precision.MixedPrecisionUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(25));

    @Test
    void aJobMayFailMaxAttemptsTimesInAll() {
        assertTrue(policy.budgetLeft(1));
        assertTrue(policy.budgetLeft(2));
        assertFalse(policy.budgetLeft(3), "the third failure is final");
        assertFalse(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).budgetLeft(1), "1 = never retried");
    }

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        assertEquals(Duration.ofSeconds(10), policy.backoffAfter(1));
        assertEquals(Duration.ofSeconds(20), policy.backoffAfter(2));
        assertEquals(Duration.ofSeconds(25), policy.backoffAfter(3));
        assertEquals(Duration.ofSeconds(25), policy.backoffAfter(1000));
    }

    /** Each permanent case by its type; the end-to-end tests of each case are named in the comments. */
    @Test
    void errorsThatCannotSucceedOnARetryAreNotRetried() {
        // TrainingJobFlowTest#aJobWhoseModelIsMissingFailsAtOnceWithTheReasonAndIsNotRetried
        assertFalse(RetryPolicy.retryable(new ModelUnavailableException("no model at /x.pt")), "bad model");
        // DatasetClientTest#damagedDataIsRefusedWithTheReason
        assertFalse(RetryPolicy.retryable(new DatasetClient.DataIntegrityException("sha256 differs")), "damaged data");
        // DataOriginTest
        assertFalse(
                RetryPolicy.retryable(
                        new DatasetClient.DataOriginException("manifestUrl is not on the dataset service")),
                "a URL off the dataset service");
        // UntrainableJobTest#aPatternThatMatchesNothingFailsTheJobBeforeTraining and #anFp16JobOnACpuTrainer...
        assertFalse(
                RetryPolicy.retryable(new InvalidFieldException("strategy.trainable[1]", "matches no parameter")),
                "invalid patterns, fp16 on a CPU");
        // DataOriginTest#aManifestThatCannotBeReadFailsAtOnce
        assertFalse(RetryPolicy.retryable(new MalformedEventException("$", "not JSON", null)), "unreadable manifest");
        assertFalse(
                RetryPolicy.retryable(new MixedPrecisionUnavailableException("no autocast in this libtorch", null)),
                "bf16 without libtorch's autocast");
        assertFalse(RetryPolicy.retryable(new RuntimeException("wrapped", new ModelUnavailableException("gone"))));
    }

    @Test
    void everythingElseIsRetried() {
        assertTrue(
                RetryPolicy.retryable(new DatasetClient.DataUnavailableException("the dataset service answered 503")));
        assertTrue(RetryPolicy.retryable(new UncheckedIOException(new java.io.IOException("disk full"))));
        assertTrue(RetryPolicy.retryable(new IllegalStateException("engine crashed")));
        assertTrue(RetryPolicy.retryable(new EngineException("an error libtorch has never given before")));
        // no longer a guess from the class: an IllegalArgumentException of unknown origin may be a passing condition
        assertTrue(RetryPolicy.retryable(new IllegalArgumentException("a value out of range somewhere")));
    }
}
