package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests are read strictly; the same text as an event between services is read tolerantly. */
class RequestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"epoch": 1}                                                | epoch                          | unknown field 'epoch'
            {"hyperParameters": {"epoch": 1}}                           | hyperParameters.epoch          | unknown field 'epoch'
            {"strategies": [{"name": "x", "trainable": ["*"], "lr": 1}]} | strategies[0].lr               | unknown field 'lr'
            {"hyperParameters": {"epochs": 1.5}}                        | hyperParameters.epochs         | must be an integer, was 1.5
            {"hyperParameters": {"epochs": "3"}}                        | hyperParameters.epochs         | wrong type
            {"hyperParameters": {"headLearningRate": "0.1"}}            | hyperParameters.headLearningRate | wrong type
            {"seeds": [1.5]}                                            | seeds[0]                       | must be an integer, was 1.5
            {"seeds": ["1"]}                                            | seeds[0]                       | wrong type
            {"seeds": [null]}                                           | seeds[0]                       | must not be null
            {"seeds": [0, null]}                                        | seeds[1]                       | must not be null
            {"strategies": [null]}                                      | strategies[0]                  | must not be null
            {"strategies": ["full", null]}                              | strategies[1]                  | must not be null
            {"strategies": [{"name": "x", "trainable": [null]}]}        | strategies[0].trainable[0]     | must not be null
            {"strategies": [{"name": "x", "trainable": ["fc.*", " "]}]} | strategies[0].trainable[1]     | must not be blank
            {"hyperParameters": {"headPatterns": [null]}}               | hyperParameters.headPatterns[0] | must not be null
            {"hyperParameters": {"headPatterns": [""]}}                 | hyperParameters.headPatterns[0] | must not be blank
            {"dataset": {"name": 5}}                                    | dataset.name                   | wrong type
            {"hyperParameters": {"precision": "fp8"}}                   | hyperParameters.precision      | unknown precision 'fp8', expected one of fp32, bf16, fp16
            {"hyperParameters": {"precision": 16}}                      | hyperParameters.precision      | unknown precision '16'
            {"seeds": [1], "seeds": [2]}                                | $                              | Duplicate field 'seeds'
            {"strategies": []}                                          | strategies                     | must not be empty
            {"seeds": []}                                               | seeds                          | must not be empty
            {"hyperParameters": {"headPatterns": []}}                   | hyperParameters.headPatterns   | must not be empty
            {"strategies": [{"name": "partial", "trainable": []}]}      | strategies[0].trainable        | must not be empty
            {"experimentId": "00000000-0000-0000-0000-000000000000"}   | experimentId                   | must not be the nil UUID
            {"seeds": [1]} {"seeds": [2]}                               | $                              | unexpected content after
            """)
    void badSubmissionsNameTheField(String json, String field, String reason) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> Requests.submission(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void precisionIsReadByItsWireNameAndDefaultsToTheNotebooksFloat32() {
        assertEquals(
                Precision.FP32,
                Requests.submission("{}").toEvent().hyperParameters().precision());
        ExperimentRequested bf16 = Requests.submission("{\"hyperParameters\": {\"precision\": \"BF16\"}}")
                .toEvent();
        assertEquals(Precision.BF16, bf16.hyperParameters().precision());
        assertTrue(EventCodec.toJson(bf16).contains("\"precision\":\"bf16\""), EventCodec.toJson(bf16));
    }

    @Test
    void anAllNullBodyTakesTheDefaults() {
        ExperimentSubmission s = Requests.submission("""
                {"experimentId": null, "dataset": null, "subset": null, "strategies": null, "hyperParameters": null,
                 "model": null, "seeds": null}""");
        ExperimentRequested request = s.toEvent();
        assertEquals(StrategySpec.notebookStrategies(), request.strategies());
        assertEquals(List.of(0L), request.seeds());
    }

    @Test
    void theTopicIsReadByTheSameRulesAndEventsStayTolerant() {
        String event = EventCodec.toJson(Samples.experimentRequested()).replaceFirst("\\{", "{\"epoch\": 1, ");
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> Requests.experiment(event));
        assertEquals("epoch", e.field());
        assertEquals(Samples.experimentRequested(), EventCodec.fromJson(event, ExperimentRequested.class));
        assertEquals(
                Samples.experimentRequested(),
                Requests.experiment(
                        EventCodec.toJson(Samples.experimentRequested()).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onTheTopicAnEmptyListOrTheNilIdIsRefusedNamingTheField() {
        String event = EventCodec.toJson(Samples.experimentRequested());
        String nilId = event.replace(
                Samples.experimentRequested().experimentId().toString(), "00000000-0000-0000-0000-000000000000");
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> Requests.experiment(nilId));
        assertEquals("experimentId", e.field());
        String noSeeds = event.replaceFirst("\"seeds\":\\[[^]]*]", "\"seeds\":[]");
        e = assertThrows(MalformedEventException.class, () -> Requests.experiment(noSeeds));
        assertEquals("seeds", e.field(), noSeeds);
        String noStrategies = event.replaceFirst("\"strategies\":\\[.*?}]", "\"strategies\":[]");
        e = assertThrows(MalformedEventException.class, () -> Requests.experiment(noStrategies));
        assertEquals("strategies", e.field(), noStrategies);
    }

    @Test
    void leftOutListsStillTakeTheirDefaults() {
        ExperimentRequested request =
                Requests.submission("{\"hyperParameters\": {}}").toEvent();
        assertEquals(StrategySpec.notebookStrategies(), request.strategies());
        assertEquals(List.of(0L), request.seeds());
        assertEquals(List.of("fc.*"), request.hyperParameters().headPatterns());
        assertEquals(
                StrategySpec.BUILT_IN.get("partial"),
                Requests.submission("{\"strategies\": [{\"name\": \"partial\"}]}")
                        .toEvent()
                        .strategies()
                        .get(0)
                        .trainable());
    }

    @Test
    void bytesThatAreNotUtf8AreRejected() {
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> Requests.experiment(new byte[] {'{', (byte) 0xff, '}'}));
        assertEquals("$", e.field());
        assertTrue(e.reason().startsWith("not UTF-8"), e.reason());
    }

    @Test
    void hugeValuesAreNotEchoedInFull() {
        String glob = "x".repeat(1_000_000);
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> Requests.submission("{\"strategies\": [\"" + glob + "\"]}"));
        assertEquals("strategies[0].name", e.field());
        assertTrue(e.reason().length() < 300, "reason of " + e.reason().length() + " characters");
        e = assertThrows(
                MalformedEventException.class, () -> Requests.submission("{\"model\": {\"uri\": \"" + glob + "\"}}"));
        assertEquals("model.uri", e.field());
    }

    @Test
    void aPlanRequestIsStrictToo() {
        assertEquals(new PlanRequest(null, null, null, null), Requests.read("{}", PlanRequest.class));
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> Requests.read("{\"headPatterns\": [\" \"]}", PlanRequest.class));
        assertEquals("headPatterns[0]", e.field());
        e = assertThrows(
                MalformedEventException.class, () -> Requests.read("{\"strategy\": [\"full\"]}", PlanRequest.class));
        assertEquals("strategy", e.field());
        e = assertThrows(
                MalformedEventException.class, () -> Requests.read("{\"precision\": \"half\"}", PlanRequest.class));
        assertEquals("precision", e.field());
    }

    @Test
    void aPlanCarriesTheExperimentsPrecision() {
        ExperimentRequested bf16 = Requests.submission("{\"hyperParameters\": {\"precision\": \"bf16\"}}")
                .toEvent();
        assertEquals(Precision.BF16, PlanRequest.of(bf16).precision());
        assertEquals(
                Precision.FP32,
                PlanRequest.of(Requests.submission("{}").toEvent()).precision());
    }
}
