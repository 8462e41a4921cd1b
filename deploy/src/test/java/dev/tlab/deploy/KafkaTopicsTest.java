package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Strimzi KafkaTopics are exactly Topic.java's topics, with its partitions and settings; replicas 3. */
class KafkaTopicsTest {

    @Test
    void kafkaTopicsEqualTopicJava() {
        Manifests manifests = Manifests.load();
        String cluster = manifests.single("Kafka").getMetadata().getName();
        List<GenericKubernetesResource> topics = manifests.custom("KafkaTopic");
        Set<String> expected =
                Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet());
        Set<String> declared = topics.stream().map(KafkaTopicsTest::topicName).collect(Collectors.toSet());
        assertEquals(expected, declared);
        assertEquals(Topic.values().length, topics.size(), "a topic is declared twice");

        for (GenericKubernetesResource resource : topics) {
            Topic topic = Topic.byName(topicName(resource));
            Map<String, Object> spec = KubernetesManifestsTest.map(
                    resource.getAdditionalProperties().get("spec"));
            assertTrue(
                    Set.of("topicName", "partitions", "replicas", "config").containsAll(spec.keySet()),
                    "unknown KafkaTopic fields " + spec.keySet());
            assertEquals(cluster, resource.getMetadata().getLabels().get("strimzi.io/cluster"), topic + " cluster");
            assertEquals(topic.partitions(), ((Number) spec.get("partitions")).intValue(), topic + " partitions");
            assertEquals(3, ((Number) spec.get("replicas")).intValue(), topic + " replicas");
            Map<String, String> config = new HashMap<>();
            KubernetesManifestsTest.map(spec.get("config")).forEach((k, v) -> config.put(k, String.valueOf(v)));
            topic.config().forEach((k, v) -> assertEquals(v, config.get(k), topic + " " + k));
        }
    }

    static String topicName(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        Object name = spec instanceof Map<?, ?> m ? m.get("topicName") : null;
        String topicName =
                name != null ? name.toString() : resource.getMetadata().getName();
        assertEquals(resource.getMetadata().getName(), topicName, "resource name = topic name");
        return topicName;
    }
}
