package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `kubectl kustomize deploy/k8s` renders is valid against the upstream schemas of the versions deploy/README.md
 * names: Kubernetes (kubernetes-models), KEDA 2.19 (@kubernetes-models/keda), prometheus-operator 0.91
 * (@kubernetes-models/prometheus-operator) and Strimzi 1.2.0 (the facts in deploy/schema-check/strimzi-1.2.0.json).
 * Each kind of mistake is shown to fail.
 */
class UpstreamSchemaTest {

    @Test
    void everyRenderedResourceIsValidAgainstItsUpstreamSchema() {
        List<SchemaCheck.Result> results = SchemaCheck.kubernetes(Kustomize.base());
        assertEquals(Kustomize.base().size(), results.size());
        Map<String, List<String>> invalid = results.stream()
                .filter(r -> !r.errors().isEmpty())
                .collect(Collectors.toMap(SchemaCheck.Result::id, SchemaCheck.Result::errors));
        assertEquals(Map.of(), invalid);
        Map<String, String> schemaOfKind = results.stream()
                .collect(Collectors.toMap(SchemaCheck.Result::kind, SchemaCheck.Result::schema, (a, b) -> a));
        assertEquals("strimzi-1.2.0.json", schemaOfKind.get("Kafka"));
        assertEquals("strimzi-1.2.0.json", schemaOfKind.get("KafkaUser"));
        assertEquals("@kubernetes-models/keda@2.0.0", schemaOfKind.get("ScaledObject"));
        assertEquals("@kubernetes-models/prometheus-operator@6.0.0", schemaOfKind.get("PodMonitor"));
        assertEquals("kubernetes-models@5.1.0", schemaOfKind.get("Deployment"));
    }

    @Test
    void theBaseRendersWithKubectlAndABrokenKustomizationDoesNot(@TempDir Path dir) throws Exception {
        assertTrue(Kustomize.base().size() > 30, "rendered " + Kustomize.base().size());
        assertTrue(Kustomize.base().stream()
                .allMatch(
                        d -> d.path("apiVersion").isTextual() && d.path("kind").isTextual()));
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        AssertionError error = assertThrows(AssertionError.class, () -> Kustomize.render(dir));
        assertTrue(error.getMessage().contains("missing.yaml"), error.getMessage());
    }

    @Test
    void unknownFieldsFailInEveryFamily() {
        new Breakages()
                .add("Deployment", d -> container(d).put("readinesProbe", "x"), "readinesProbe: unknown field")
                .add("ScaledObject", d -> spec(d).put("maxReplicas", 6), "/spec/maxReplicas: unknown field")
                .add(
                        "PodMonitor",
                        d -> ((ObjectNode) spec(d).path("podMetricsEndpoints").get(0)).put("paht", "/m"),
                        "paht: unknown field")
                .add(
                        "KafkaUser",
                        d -> ((ObjectNode) spec(d).path("authorization")
                                        .path("acls")
                                        .get(0))
                                .put("operation", "Read"),
                        "must NOT have additional properties 'operation'")
                .add(
                        "Kafka",
                        d -> spec(d).putObject("zookeeper").put("replicas", 3),
                        "must NOT have additional properties 'zookeeper'")
                .verify();
    }

    @Test
    void missingRequiredFieldsFail() {
        new Breakages()
                .add(
                        "ScaledObject",
                        d -> spec(d).remove("scaleTargetRef"),
                        "must have required property scaleTargetRef")
                .add("KafkaNodePool", d -> spec(d).remove("roles"), "must have required property 'roles'")
                .add("Deployment", d -> container(d).remove("name"), "must have required property name")
                .verify();
    }

    @Test
    void wrongTypesAndValuesFail() {
        new Breakages()
                .add("ScaledObject", d -> spec(d).put("maxReplicaCount", "6"), "/spec/maxReplicaCount: must be integer")
                .add("KafkaTopic", d -> spec(d).put("partitions", "3"), "/spec/partitions: must be integer")
                .add("ServiceMonitor", d -> spec(d).put("endpoints", "http"), "/spec/endpoints: must be array")
                .add(
                        "Kafka",
                        d -> ((ObjectNode)
                                        spec(d).path("kafka").path("listeners").get(0))
                                .putObject("authentication")
                                .put("type", "scram-sha-256"),
                        "must be equal to one of the allowed values")
                .verify();
    }

    @Test
    void removedApiVersionsAndWhatStrimziIgnoresFail() {
        new Breakages()
                .add(
                        "Kafka",
                        d -> d.put("apiVersion", "kafka.strimzi.io/v1beta2"),
                        "Strimzi 1.2.0 serves no Kafka in kafka.strimzi.io/v1beta2")
                .add(
                        "ServiceMonitor",
                        d -> d.put("apiVersion", "monitoring.coreos.com/v1beta1"),
                        "has no ServiceMonitor")
                .add(
                        "Kafka",
                        d -> ((ObjectNode) spec(d).path("kafka")).put("version", "4.1.0"),
                        "Kafka 4.1.0 is not supported by Strimzi 1.2.0")
                .add(
                        "Kafka",
                        d -> ((ObjectNode) d.path("metadata"))
                                .putObject("annotations")
                                .put("strimzi.io/kraft", "enabled"),
                        "ignored by Strimzi 1.2.0")
                .add(
                        "Kafka",
                        d -> ((ObjectNode) spec(d).path("kafka").path("config")).put("listeners", "x"),
                        "Strimzi manages \"listeners*\" itself")
                .add(
                        "KafkaTopic",
                        d -> ((ObjectNode) d.path("metadata").path("labels")).remove("strimzi.io/cluster"),
                        "strimzi.io/cluster missing")
                .verify();
    }

    // ---- helpers

    /**
     * Deliberate breakages: each breaks a copy of the first rendered resource of a kind and expects the check to name
     * the mistake. All of them go through one run of the checker.
     */
    static final class Breakages {
        private final List<JsonNode> broken = new ArrayList<>();
        private final List<String> expected = new ArrayList<>();

        Breakages add(String kind, Consumer<ObjectNode> breakIt, String expectedError) {
            ObjectNode copy = Kustomize.base().stream()
                    .filter(d -> d.path("kind").asText().equals(kind))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " rendered"))
                    .deepCopy();
            breakIt.accept(copy);
            broken.add(copy);
            expected.add(expectedError);
            return this;
        }

        void verify() {
            List<SchemaCheck.Result> results = SchemaCheck.kubernetes(broken);
            for (int i = 0; i < broken.size(); i++) {
                List<String> errors = results.get(i).errors();
                String what = results.get(i).kind() + " (" + expected.get(i) + ")";
                assertFalse(errors.isEmpty(), what + ": broken but accepted");
                int n = i;
                assertTrue(errors.stream().anyMatch(e -> e.contains(expected.get(n))), what + ": got " + errors);
            }
        }
    }

    static ObjectNode spec(JsonNode doc) {
        return (ObjectNode) doc.path("spec");
    }

    static ObjectNode container(JsonNode deployment) {
        return (ObjectNode) ((ArrayNode)
                        deployment.path("spec").path("template").path("spec").path("containers"))
                .get(0);
    }
}
