package dev.tlab.dataset.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.api.ApiException;
import dev.tlab.images.ImageDatasetException;
import dev.tlab.images.ImageDatasetException.Problem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every kind of problem with a dataset of images answers the request with a 4xx naming the field (a limit also its
 * key), and only storage that cannot be read with a 503: never a 500, whatever the scan or the planner finds.
 */
class ImageErrorsTest {
    private static final String SOURCE = "dataset.source.location";

    private static ApiException answer(Problem problem, String subject, String message) {
        return ImageErrors.of(new ImageDatasetException(problem, subject, message), SOURCE);
    }

    @Test
    void everyProblemIsAnsweredWithAClientErrorNamingAFieldExceptUnreadableStorage() {
        for (Problem problem : Problem.values()) {
            ApiException e = answer(problem, "max-files", "what went wrong");
            int expected = problem == Problem.UNREADABLE ? 503 : problem == Problem.LIMIT_EXCEEDED ? 413 : 400;
            assertEquals(expected, e.status(), problem.name());
            assertTrue(e.field() != null && !e.field().isBlank(), problem.name());
            assertTrue(e.reason().startsWith("what went wrong"), problem + ": " + e.reason());
        }
    }

    @Test
    void problemsOfTheSourceNameTheSourceField() {
        Set<Problem> ofTheSource = EnumSet.of(
                Problem.NOT_FOUND,
                Problem.OUTSIDE_ROOTS,
                Problem.UNSUPPORTED_SOURCE,
                Problem.UNSAFE_ENTRY,
                Problem.LAYOUT,
                Problem.TOO_FEW_CLASSES,
                Problem.EMPTY_CLASS,
                Problem.CLASS_MISSING_IN_SPLIT,
                Problem.SAME_IMAGE_IN_TWO_CLASSES,
                Problem.LIMIT_EXCEEDED,
                Problem.UNREADABLE);
        for (Problem problem : ofTheSource) {
            assertEquals(SOURCE, answer(problem, "x", "why").field(), problem.name());
        }
    }

    @Test
    void aLimitNamesTheKeyThatSetsIt() {
        ApiException e = answer(Problem.LIMIT_EXCEEDED, "max-image-pixels", "an image has 60000000 pixels");
        assertEquals(413, e.status());
        assertTrue(e.reason().contains("tlab.dataset.images.max-image-pixels"), e.reason());
    }

    @Test
    void rejectsUnderTheFailPolicyNameTheRejectsField() {
        assertEquals(
                "dataset.rejects",
                answer(Problem.REJECTED_IMAGES, "x", "2 images rejected").field());
    }

    @Test
    void tooFewImagesNamesTheSubsetOrTheSplit() {
        assertEquals(
                "subset.samplesPerClass",
                answer(Problem.TOO_FEW_IMAGES, "cat", "class cat has 3 training images; the subset needs 5")
                        .field());
        assertEquals(
                "dataset.split",
                answer(Problem.TOO_FEW_IMAGES, "cat", "class cat has too few images to keep 1 for the test")
                        .field());
    }

    @Test
    void anInvalidSplitNamesItsFieldUnderDataset() {
        assertEquals(
                "dataset.split.val",
                answer(Problem.INVALID_REQUEST, "split.val", "too large").field());
        assertEquals(
                "subset.samplesPerClass",
                answer(Problem.INVALID_REQUEST, "subset.samplesPerClass", "must be positive")
                        .field());
    }
}
