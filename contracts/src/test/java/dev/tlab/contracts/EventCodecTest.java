package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static Stream<Object> samples() {
        return Samples.all().stream();
    }

    /** The samples that are events, with the envelope (the image index is a file, not a message). */
    static Stream<Object> events() {
        return Samples.all().stream().filter(Event.class::isInstance);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageRoundTrips(Object sample) {
        Class<?> readAs = sample instanceof ExperimentEvent ? ExperimentEvent.class : sample.getClass();
        Object back = EventCodec.fromJson(EventCodec.toJson(sample), readAs);
        assertEquals(sample, back);
    }

    /**
     * The wire format is pinned by files under src/test/resources/golden: a change of it shows as a diff there. Run
     * with -Dgolden.update=true to rewrite them after an intended change.
     */
    @ParameterizedTest
    @MethodSource("samples")
    void wireFormatMatchesGoldenFile(Object sample) throws IOException {
        String name = Samples.goldenName(sample);
        String written = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample) + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden", name), written);
        }
        try (InputStream golden = getClass().getResourceAsStream("/golden/" + name)) {
            assertTrue(golden != null, "missing golden file " + name + " (run with -Dgolden.update=true)");
            String expected = new String(golden.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(
                    EventCodec.mapper().readTree(expected),
                    EventCodec.mapper().readTree(written),
                    "wire format of " + name + " changed");
            Class<?> readAs = sample instanceof ExperimentEvent ? ExperimentEvent.class : sample.getClass();
            assertEquals(sample, EventCodec.fromJson(expected, readAs), "golden " + name + " no longer reads back");
        }
    }

    @Test
    void eventsOfWritersBeforeTheRecordFieldsStillRead() {
        ObjectNode completed = (ObjectNode) tree(Samples.jobCompleted());
        completed.remove(List.of("startedAt", "environment", "model", "evaluation", "cost"));
        JobCompleted read = EventCodec.fromJson(completed.toString(), JobCompleted.class);
        assertEquals(null, read.model());
        assertEquals(null, read.evaluation());
        assertEquals(null, read.cost());
        assertEquals(Samples.jobCompleted().testAccuracy(), read.testAccuracy());
        ObjectNode started = (ObjectNode) tree(Samples.jobStarted());
        started.remove(List.of("environment", "precision"));
        JobStarted older = EventCodec.fromJson(started.toString(), JobStarted.class);
        assertEquals(null, older.environment());
        assertEquals(null, older.precision());
        ObjectNode environment = (ObjectNode) tree(Samples.ENVIRONMENT);
        environment.remove("memoryFormat");
        assertEquals(
                null,
                EventCodec.fromJson(environment.toString(), RunEnvironment.class)
                        .memoryFormat());
    }

    @Test
    void downloadedWeightsNeedTheirDigest() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> new ModelSpec(null, null, "https://example.org/w.safetensors", null));
        assertEquals("model.weightsSha256", e.field());
        assertEquals("/w.safetensors", new ModelSpec(null, null, "/w.safetensors", null).weightsUri());
    }

    @Test
    void unknownFieldsAreIgnored() {
        ObjectNode json = (ObjectNode) tree(Samples.trainingJob());
        json.put("addedInAFutureVersion", "whatever");
        ((ObjectNode) json.get("hyperParameters")).put("warmupEpochs", 3);
        assertEquals(Samples.trainingJob(), EventCodec.fromJson(json.toString(), TrainingJob.class));
    }

    @Test
    void omittedSettingsTakeTheNotebooksValues() {
        String minimal = """
                {"eventId":"00000000-0000-4000-8000-000000000009","type":"ExperimentRequested","schemaVersion":1,
                 "occurredAt":"2026-11-28T00:00:00Z","experimentId":"00000000-0000-4000-8000-000000000001"}""";
        ExperimentRequested request = EventCodec.fromJson(minimal, ExperimentRequested.class);
        assertEquals("cifar10", request.dataset().name());
        assertEquals(SubsetPolicy.notebook(), request.subset());
        assertEquals(
                List.of("freeze", "partial", "full"),
                request.strategies().stream().map(StrategySpec::name).toList());
        assertEquals(
                List.of("conv1.*", "bn1.*", "fc.*"), request.strategies().get(0).trainable());
        HyperParameters hp = request.hyperParameters();
        assertEquals(10, hp.epochs());
        assertEquals(64, hp.trainBatchSize());
        assertEquals(128, hp.evalBatchSize());
        assertEquals(1e-4, hp.backboneLearningRate());
        assertEquals(1e-3, hp.headLearningRate());
        assertEquals(1e-4, hp.weightDecay());
        assertEquals(224, hp.imageSize());
        assertEquals(256, hp.evalResize());
        assertEquals(List.of(0L), request.seeds());
    }

    @Test
    void strategiesMayBeBareNamesOrPatterns() {
        String json = """
                {"eventId":"00000000-0000-4000-8000-000000000009","type":"ExperimentRequested","schemaVersion":1,
                 "occurredAt":"2026-11-28T00:00:00Z","experimentId":"00000000-0000-4000-8000-000000000001",
                 "strategies":["partial",{"name":"top","trainable":["layer3.*","layer4.*","fc.*"]}]}""";
        List<StrategySpec> strategies =
                EventCodec.fromJson(json, ExperimentRequested.class).strategies();
        assertEquals(List.of("layer4.*", "fc.*"), strategies.get(0).trainable());
        assertTrue(strategies.get(1).isTrainable("layer3.1.bn2.weight"));
        assertTrue(!strategies.get(1).isTrainable("layer2.1.bn2.weight"));
    }

    @Test
    void trainingEventsAreReadByTheirType() {
        assertInstanceOf(
                EpochCompleted.class,
                EventCodec.fromJson(EventCodec.toJson(Samples.epochCompleted()), TrainingEvent.class));
        assertInstanceOf(
                JobFailed.class, EventCodec.fromJson(EventCodec.toJson(Samples.jobFailed()), TrainingEvent.class));
    }

    @Test
    void theTrainingEventsTopicCarriesTheExperimentsOwnFailureToo() {
        String failed = EventCodec.toJson(Samples.experimentFailed());
        ExperimentEvent read = EventCodec.fromJson(failed, ExperimentEvent.class);
        assertEquals(Samples.experimentFailed(), read);
        assertEquals(Samples.EXPERIMENT, read.experimentId());
        assertEquals(
                Samples.EXPERIMENT,
                EventCodec.fromJson(EventCodec.toJson(Samples.jobStarted()), ExperimentEvent.class)
                        .experimentId());
        // a reader of job events only (trainers' tests, older results services) finds it malformed, not a job event
        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> EventCodec.fromJson(failed, TrainingEvent.class));
        assertEquals("type", e.field());
        // the abstract job type is no event of its own
        String abstractType = EventCodec.toJson(Samples.jobStarted()).replace("\"JobStarted\"", "\"TrainingEvent\"");
        assertThrows(MalformedEventException.class, () -> EventCodec.fromJson(abstractType, ExperimentEvent.class));
    }

    @Test
    void anExperimentFailureCutsItsReasonAndNamesTheWholeRequestByDefault() {
        ExperimentFailed failed = ExperimentFailed.of(Samples.EXPERIMENT, Samples.AT, null, "x".repeat(10_000));
        assertEquals(ExperimentFailed.MAX_REASON_CHARS, failed.reason().length());
        assertEquals("$", failed.field());
        assertEquals(failed, EventCodec.fromJson(EventCodec.toJson(failed), ExperimentEvent.class));
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of(TrainingJob.class, without(Samples.trainingJob(), "jobId"), "jobId", "is required"),
                Arguments.of(
                        TrainingJob.class, with(Samples.trainingJob(), "jobId", "not-a-uuid"), "jobId", "wrong type"),
                Arguments.of(TrainingJob.class, with(Samples.trainingJob(), "seed", "zero"), "seed", "wrong type"),
                Arguments.of(TrainingJob.class, without(Samples.trainingJob(), "eventId"), "eventId", "is required"),
                Arguments.of(
                        TrainingJob.class,
                        with(Samples.trainingJob(), "type", "JobStarted"),
                        "type",
                        "must be 'TrainingJob'"),
                Arguments.of(
                        TrainingJob.class,
                        with(Samples.trainingJob(), "schemaVersion", 99),
                        "schemaVersion",
                        "not supported"),
                Arguments.of(TrainingJob.class, with(Samples.trainingJob(), "attempt", 0), "attempt", "between"),
                Arguments.of(
                        TrainingJob.class, without(Samples.trainingJob(), "synthetic"), "synthetic", "is required"),
                Arguments.of(TrainingEvent.class, with(Samples.jobFailed(), "nextAttempt", 1), "nextAttempt", "after"),
                Arguments.of(
                        ExperimentEvent.class,
                        with(Samples.experimentFailed(), "reason", "x".repeat(ExperimentFailed.MAX_REASON_CHARS + 1)),
                        "reason",
                        "at most"),
                Arguments.of(
                        ExperimentEvent.class,
                        with(Samples.experimentFailed(), "experimentId", "00000000-0000-0000-0000-000000000000"),
                        "experimentId",
                        "nil UUID"),
                Arguments.of(
                        ExperimentCancelled.class,
                        with(Samples.experimentCancelled(), "reason", "x".repeat(501)),
                        "reason",
                        "at most 500"),
                Arguments.of(
                        ExperimentRequested.class,
                        nested(Samples.experimentRequested(), "hyperParameters", "epochs", 0),
                        "hyperParameters.epochs",
                        "between 1 and 1000"),
                Arguments.of(
                        ExperimentRequested.class,
                        nested(Samples.experimentRequested(), "hyperParameters", "headLearningRate", -1),
                        "hyperParameters.headLearningRate",
                        "> 0"),
                Arguments.of(
                        ExperimentRequested.class,
                        nested(Samples.experimentRequested(), "dataset", "name", "imagenet"),
                        "dataset.name",
                        "unknown dataset"),
                Arguments.of(
                        ExperimentRequested.class,
                        with(Samples.experimentRequested(), "strategies", List.of("sideways")),
                        "strategies[0].trainable",
                        "unknown strategy 'sideways'"),
                Arguments.of(
                        TrainingEvent.class,
                        with(Samples.epochCompleted(), "type", "JobExploded"),
                        "type",
                        "unknown event type"),
                Arguments.of(TrainingEvent.class, without(Samples.epochCompleted(), "type"), "type", "is required"),
                Arguments.of(
                        TrainingEvent.class,
                        nested(Samples.epochCompleted(), "job", "attempt", null),
                        "job.attempt",
                        "is required"),
                Arguments.of(
                        TrainingEvent.class,
                        with(Samples.epochCompleted(), "trainAccuracy", 80.0),
                        "trainAccuracy",
                        "fraction"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void invalidMessagesAreRejectedNamingTheField(Class<?> type, String json, String field, String reason) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.fromJson(json, type));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    /** Kafka's bytes are parsed as bytes: every rejection names the same field and reason as from a String. */
    @ParameterizedTest
    @MethodSource("rejections")
    void bytesAreRejectedAsTheirStringIs(Class<?> type, String json, String field, String reason) {
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> EventCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), type));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageRoundTripsAsBytes(Object sample) {
        Class<?> readAs = sample instanceof ExperimentEvent ? ExperimentEvent.class : sample.getClass();
        assertEquals(sample, EventCodec.fromBytes(EventCodec.toBytes(sample), readAs));
        assertEquals(EventCodec.toJson(sample), new String(EventCodec.toBytes(sample), StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatAreNotUtf8OrNothingAreRejected() {
        byte[] json = EventCodec.toBytes(Samples.experimentCancelled());
        byte[] broken = new String(json, StandardCharsets.UTF_8)
                .replace("\"reason\":\"", "\"reason\":\"\u00e9")
                .getBytes(StandardCharsets.ISO_8859_1); // a lone 0xE9: not UTF-8
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> EventCodec.fromBytes(broken, ExperimentCancelled.class));
        assertEquals("reason", e.field(), e.getMessage());
        assertTrue(e.reason().contains("UTF-8"), e.getMessage());
        for (byte[] empty : List.of(new byte[0], " \n\t\r ".getBytes(StandardCharsets.UTF_8))) {
            MalformedEventException blank = assertThrows(
                    MalformedEventException.class, () -> EventCodec.fromBytes(empty, ExperimentCancelled.class));
            assertTrue(blank.reason().startsWith("empty message"), blank.getMessage());
        }
        assertThrows(MalformedEventException.class, () -> EventCodec.fromBytes(null, ExperimentCancelled.class));
        assertThrows(
                MalformedEventException.class,
                () -> EventCodec.fromBytes("null".getBytes(StandardCharsets.UTF_8), ExperimentCancelled.class));
    }

    /** An empty object names the first field that is really missing, not a primitive it could not default. */
    @ParameterizedTest
    @MethodSource("events")
    void anEmptyObjectNamesTheMissingEnvelope(Object sample) {
        Class<?> readAs = sample instanceof ExperimentEvent ? ExperimentEvent.class : sample.getClass();
        String json = readAs == ExperimentEvent.class ? "{\"type\":\"" + ((Event) sample).type() + "\"}" : "{}";
        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> EventCodec.fromJson(json, readAs));
        assertEquals("eventId", e.field(), e.getMessage());
        assertEquals("is required", e.reason(), e.getMessage());
    }

    @Test
    void aVersionOneJobWithoutRetryFieldsStillReads() {
        ObjectNode json = (ObjectNode) tree(Samples.trainingJob());
        json.remove(List.of("requestedAt", "notBefore", "failedAttempts"));
        TrainingJob job = EventCodec.fromJson(json.toString(), TrainingJob.class);
        assertEquals(List.of(), job.failedAttempts());
        assertEquals(null, job.notBefore());
        ObjectNode failed = (ObjectNode) tree(Samples.jobFailed());
        failed.remove(List.of("nextAttempt", "retryAt", "failedAttempts"));
        JobFailed read = (JobFailed) EventCodec.fromJson(failed.toString(), TrainingEvent.class);
        assertTrue(!read.willRetry());
    }

    @Test
    void aRetryCarriesEveryEarlierFailure() {
        TrainingJob second = Samples.trainingJob();
        TrainingJob third =
                second.retry(3, new FailedAttempt(2, "out of memory", Samples.AT), Samples.AT.plusSeconds(20));
        assertEquals(3, third.attempt());
        assertEquals(
                List.of(1, 2),
                third.failedAttempts().stream().map(FailedAttempt::attempt).toList());
        assertEquals(second.jobId(), third.jobId());
        assertEquals(second.requestedAt(), third.requestedAt());
        assertTrue(!third.eventId().equals(second.eventId()), "a new event");
    }

    @Test
    void notJsonIsRejectedAsAWhole() {
        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> EventCodec.fromJson("{not json", TrainingJob.class));
        assertEquals("$", e.field());
        assertThrows(MalformedEventException.class, () -> EventCodec.fromJson("", TrainingJob.class));
        assertThrows(MalformedEventException.class, () -> EventCodec.fromJson("null", TrainingJob.class));
    }

    private static JsonNode tree(Object value) {
        return EventCodec.mapper().valueToTree(value);
    }

    private static String without(Object sample, String field) {
        ObjectNode json = (ObjectNode) tree(sample);
        json.remove(field);
        return json.toString();
    }

    private static String with(Object sample, String field, Object value) {
        ObjectNode json = (ObjectNode) tree(sample);
        json.set(field, EventCodec.mapper().valueToTree(value));
        return json.toString();
    }

    private static String nested(Object sample, String parent, String field, Object value) {
        ObjectNode json = (ObjectNode) tree(sample);
        ((ObjectNode) json.get(parent)).set(field, EventCodec.mapper().valueToTree(value));
        return json.toString();
    }
}
