package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.PredictionsFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The final evaluation and the cost in JobCompleted: a message whose figures cannot be is refused when it is read,
 * naming the field (so the results service dead-letters it), and the largest evaluations stay within a topic's 1 MiB.
 */
class EvaluationTest {

    static Stream<Arguments> impossibleEvaluations() {
        return Stream.of(
                Arguments.of(
                        "a matrix that counts other images than the evaluation",
                        edit(e -> e.put("testImages", 9_999)),
                        "evaluation.confusionMatrix",
                        "counts 10000 images, the evaluation 9999"),
                Arguments.of(
                        "a row short of a class",
                        edit(e -> ((ArrayNode) e.get("confusionMatrix").get(3)).remove(9)),
                        "evaluation.confusionMatrix[3]",
                        "one count per class"),
                Arguments.of(
                        "a negative count",
                        edit(e -> {
                            ArrayNode row = (ArrayNode) e.get("confusionMatrix").get(0);
                            row.set(0, row.get(0).asLong() + 5);
                            row.set(5, -5);
                        }),
                        "evaluation.confusionMatrix[0]",
                        "must not be negative"),
                Arguments.of(
                        "one class",
                        edit(e -> e.set("classes", EventCodec.mapper().valueToTree(List.of("cat")))),
                        "evaluation.classes",
                        "2 to 1024"),
                Arguments.of(
                        "a class named twice",
                        edit(e -> ((ArrayNode) e.get("classes")).set(9, "airplane")),
                        "evaluation.classes",
                        "distinct"),
                Arguments.of(
                        "calibration of other predictions",
                        edit(e -> ((ArrayNode) e.get("calibration").get("counts")).set(15, 201)),
                        "evaluation.calibration",
                        "slot 15"),
                Arguments.of(
                        "calibration sums no predictions can add up to",
                        edit(e -> ((ArrayNode) e.get("calibration").get("confidenceSums")).set(14, 6_500.0)),
                        "evaluation.calibration",
                        "slot 14: a confidence sum of 6500.0 cannot come from 6000 confidences"),
                Arguments.of(
                        "a predictions file of other images",
                        edit(e -> ((ObjectNode) e.get("predictions")).put("images", 100)),
                        "evaluation.predictions.images",
                        "the file holds 100 images"),
                Arguments.of(
                        "a predictions file outside the store",
                        edit(e -> ((ObjectNode) e.get("predictions")).put("path", "../../etc/passwd")),
                        "evaluation.predictions.path",
                        "relative to the model store"),
                Arguments.of(
                        "a test accuracy the matrix does not have",
                        withTopLevel("testAccuracy", 0.9),
                        "testAccuracy",
                        "8431 of 10000 right"),
                Arguments.of(
                        "a cost with negative seconds", withCost("trainSeconds", -1.0), "cost.trainSeconds", ">= 0"),
                Arguments.of(
                        "peak memory without what it measured",
                        withCost("peakMemory", "vram"),
                        "cost.peakMemory",
                        "device or process-rss"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impossibleEvaluations")
    void anImpossibleEvaluationIsRefusedNamingTheField(String what, String json, String field, String reason) {
        MalformedEventException e = assertThrows(
                MalformedEventException.class,
                () -> EventCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), TrainingEvent.class));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    /** What a trainer without a model store sends: no predictions file, and no null written for it. */
    @Test
    void anEvaluationWithoutAPredictionsFileLeavesItOut() {
        Evaluation full = Samples.evaluation();
        Evaluation without =
                new Evaluation(full.classes(), full.testImages(), full.confusionMatrix(), full.calibration(), null);
        String json = EventCodec.toJson(without);
        assertFalse(json.contains("predictions"), json);
        assertEquals(without, EventCodec.fromJson(json, Evaluation.class));
        assertEquals(8_431L, without.correct());
    }

    /** Above 256 classes the matrix stays home (the predictions file holds it); sending it anyway is refused. */
    @Test
    void theMatrixOfMoreThan256ClassesIsLeftOut() {
        Evaluation large = worstCase(257, false);
        assertEquals(null, large.correct());
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> worstCase(257, true));
        assertEquals("evaluation.confusionMatrix", e.field());
    }

    /**
     * JobCompleted against the topics' 1 MiB ({@link Topic#MAX_MESSAGE_BYTES}): realistic evaluations of 10 and 100
     * classes (10,000 test images), and the worst each size allows: a million test images spread over every cell (the
     * most digits), class names of 256 characters, every calibration slot used.
     */
    @Test
    void theLargestEvaluationsFitInAMessage() {
        record Size(String what, int bytes) {}
        List<Size> sizes = new ArrayList<>();
        sizes.add(new Size("10 classes, 10,000 images", bytes(Samples.evaluation())));
        sizes.add(new Size("100 classes, 10,000 images", bytes(realistic(100, 10_000))));
        for (int classes : List.of(10, 100, Evaluation.MAX_MATRIX_CLASSES, Evaluation.MAX_CLASSES)) {
            sizes.add(new Size(
                    "worst case, " + classes + " classes",
                    bytes(worstCase(classes, classes <= Evaluation.MAX_MATRIX_CLASSES))));
        }
        System.out.println("JobCompleted sizes: " + sizes);
        for (Size size : sizes) {
            assertTrue(size.bytes() < Topic.MAX_MESSAGE_BYTES / 2, size + " leaves half of the 1 MiB for the rest");
        }
        assertTrue(sizes.get(0).bytes() < 4_000, "ten classes: " + sizes.get(0));
        assertTrue(sizes.get(1).bytes() < 40_000, "a hundred classes: " + sizes.get(1));
    }

    private static int bytes(Evaluation evaluation) {
        JobCompleted sample = Samples.jobCompleted();
        Long correct = evaluation.correct();
        double accuracy = correct == null ? 0.5 : (double) correct / evaluation.testImages();
        JobCompleted completed = new JobCompleted(
                sample.eventId(),
                sample.type(),
                sample.schemaVersion(),
                sample.occurredAt(),
                sample.job(),
                sample.device(),
                accuracy,
                sample.trainableParameters(),
                sample.totalParameters(),
                sample.wallSeconds(),
                sample.epochs(),
                sample.startedAt(),
                sample.environment(),
                sample.model(),
                evaluation,
                sample.cost(),
                null);
        byte[] json = EventCodec.toBytes(completed);
        assertEquals(completed, EventCodec.fromBytes(json, TrainingEvent.class));
        return json.length;
    }

    /** {@code images} spread evenly, four in five right. */
    private static Evaluation realistic(int classes, int images) {
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < images; i++) {
            int truth = i % classes;
            counts[truth][i % 5 == 0 ? (truth + 1 + i / classes) % classes : truth]++;
        }
        return evaluation(names(classes, "class-"), counts, images, true);
    }

    /** A million images over every cell, names of the longest length. */
    private static Evaluation worstCase(int classes, boolean withMatrix) {
        long cells = (long) classes * classes;
        long images = 1_000_000;
        long[][] counts = new long[classes][classes];
        long left = images;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                long cell = images / cells + (t * classes + p < images % cells ? 1 : 0);
                counts[t][p] = cell;
                left -= cell;
            }
        }
        assertEquals(0, left);
        List<String> names = names(classes, "x".repeat(Evaluation.MAX_CLASS_NAME_LENGTH - 5));
        return evaluation(names, counts, images, withMatrix);
    }

    private static Evaluation evaluation(List<String> names, long[][] counts, long images, boolean withMatrix) {
        CalibrationBins bins = new CalibrationBins();
        for (long i = 0; i < images; i++) {
            int slot = (int) (i % CalibrationBins.SLOTS);
            double confidence = slot == CalibrationBins.CERTAIN ? 1.0 : (slot + 0.123456789) / CalibrationBins.BINS;
            bins.add(confidence, i % 3 != 0);
        }
        List<List<Long>> matrix = withMatrix
                ? Arrays.stream(counts)
                        .map(row -> Arrays.stream(row).boxed().toList())
                        .toList()
                : null;
        return new Evaluation(
                names,
                images,
                matrix,
                CalibrationSums.of(bins),
                new PredictionsArtifact(
                        "e/j.predictions",
                        "ab".repeat(32),
                        PredictionsFile.fileBytes((int) images, names.size()),
                        images));
    }

    private static List<String> names(int classes, String prefix) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(prefix + String.format("%05d", i));
        }
        return names;
    }

    private static String edit(Consumer<ObjectNode> change) {
        ObjectNode json = EventCodec.mapper().valueToTree(Samples.jobCompleted());
        change.accept((ObjectNode) json.get("evaluation"));
        return json.toString();
    }

    private static String withTopLevel(String field, Object value) {
        ObjectNode json = EventCodec.mapper().valueToTree(Samples.jobCompleted());
        json.set(field, EventCodec.mapper().valueToTree(value));
        return json.toString();
    }

    private static String withCost(String field, Object value) {
        ObjectNode json = EventCodec.mapper().valueToTree(Samples.jobCompleted());
        ((ObjectNode) json.get("cost")).set(field, EventCodec.mapper().valueToTree(value));
        return json.toString();
    }
}
