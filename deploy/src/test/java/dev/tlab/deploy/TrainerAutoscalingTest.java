package dev.tlab.deploy;

import static dev.tlab.deploy.KubernetesManifestsTest.list;
import static dev.tlab.deploy.KubernetesManifestsTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KEDA scales the trainers on the lag of training-jobs: the HPA adds trainers at once and removes them slowly, one at a
 * time, after the lag has been lower for a while, and each trainer marks itself cheap to delete while idle
 * (pod-deletion-cost, with its own service account's token), so that the ReplicaSet removes an idle trainer, not a busy
 * one; KEDA removes the last trainer only when no job is waiting or running (a running job's offset is not committed,
 * so it is lag). Why and what can still go wrong: deploy/README.md, "Autoscaling the trainers".
 */
class TrainerAutoscalingTest {

    /**
     * The trigger metadata keys KEDA v2.19.0's Kafka scaler reads (pkg/scalers/kafka_scaler.go, TriggerMetadata[...]
     * and the lagThreshold / activationLagThreshold names). The CRD cannot see a misspelled key (metadata is a string
     * map), and KEDA ignores it silently.
     */
    static final Set<String> KAFKA_SCALER_KEYS = Set.of(
            "bootstrapServers",
            "bootstrapServersFromEnv",
            "consumerGroup",
            "consumerGroupFromEnv",
            "topic",
            "topicFromEnv",
            "lagThreshold",
            "activationLagThreshold",
            "offsetResetPolicy",
            "allowIdleConsumers",
            "excludePersistentLag",
            "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions",
            "partitionLimitation",
            "scaleToZeroOnInvalidOffset",
            "version",
            "sasl",
            "saslTokenProvider",
            "tls",
            "unsafeSsl",
            "awsRegion");

    static Manifests manifests;

    @BeforeAll
    static void load() {
        manifests = Manifests.load();
    }

    @Test
    void theHpaRemovesTrainersSlowlyOneAtATimeAndKedaTheLastOnlyWhenNoJobIsLeft() {
        Map<String, Object> spec = scaledObjectSpec();
        Map<String, Object> target = map(spec.get("scaleTargetRef"));
        assertEquals("trainer-service", target.get("name"));
        assertEquals("Deployment", Objects.requireNonNullElse(target.get("kind"), "Deployment"));
        assertNull(
                manifests.named(Deployment.class, "trainer-service").getSpec().getReplicas(),
                "KEDA owns the trainer's replica count");

        Map<String, Object> scaleDown = map(map(map(map(spec.get("advanced")).get("horizontalPodAutoscalerConfig"))
                        .get("behavior"))
                .get("scaleDown"));
        assertTrue(
                !"Disabled".equals(scaleDown.get("selectPolicy")),
                "idle GPUs are given back under a steady trickle of jobs: scale-down is on");
        // The HPA acts on the highest recommendation of the window: a trainer has been idle (and has marked itself
        // cheap to delete) for minutes before the one pod a period is removed.
        assertTrue(((Number) scaleDown.get("stabilizationWindowSeconds")).intValue() >= 300, scaleDown.toString());
        List<Object> policies = list(scaleDown.get("policies"));
        assertFalse(policies.isEmpty(), "without policies the HPA may remove every surplus pod at once");
        for (Object p : policies) {
            Map<String, Object> policy = map(p);
            assertEquals("Pods", policy.get("type"), policy.toString());
            assertEquals(1, ((Number) policy.get("value")).intValue(), "one trainer at a time");
            assertTrue(((Number) policy.get("periodSeconds")).intValue() >= 60, policy.toString());
        }
        assertEquals(0, ((Number) spec.get("minReplicaCount")).intValue(), "GPUs are given back when idle");
        assertNull(spec.get("idleReplicaCount"), "idle replicas would be removed by KEDA without regard to jobs");
        assertNull(spec.get("fallback"), "a fallback count would be applied by the HPA, which could scale down");
        assertEquals(
                "0",
                kafkaTrigger().get("activationLagThreshold"),
                "any lag (a job waiting or running) keeps the trainers: scale to zero only at lag 0");
    }

    @Test
    void oneTrainerPerJobOnlyForPartitionsThatHaveWork() {
        Map<String, Object> spec = scaledObjectSpec();
        Map<String, Object> meta = kafkaTrigger();
        assertTrue(
                KAFKA_SCALER_KEYS.containsAll(meta.keySet()),
                "keys KEDA 2.19's Kafka scaler does not read: "
                        + meta.keySet().stream()
                                .filter(k -> !KAFKA_SCALER_KEYS.contains(k))
                                .toList());
        Topic jobs = Topic.TRAINING_JOBS;
        assertEquals(jobs.topicName(), meta.get("topic"));
        assertEquals(ServiceConfig.trainerGroup(jobs.topicName()), meta.get("consumerGroup"));
        assertEquals("1", meta.get("lagThreshold"), "one trainer per job waiting or running");
        assertEquals(
                "true",
                meta.get("limitToPartitionsWithLag"),
                "without it KEDA counts every partition of the topic and starts trainers (each holding a GPU) for none");
        assertTrue(!"true".equals(meta.get("allowIdleConsumers")), "KEDA refuses it with limitToPartitionsWithLag");
        assertEquals(
                jobs.partitions(),
                ((Number) spec.get("maxReplicaCount")).intValue(),
                "more trainers than partitions of training-jobs would sit idle");
        // Kafka 4 no longer serves the request versions of KEDA's default protocol version 1.0.0 (KIP-896: 2.1+).
        String[] version = meta.get("version").toString().split("\\.");
        assertTrue(
                Integer.parseInt(version[0]) >= 3
                        || (Integer.parseInt(version[0]) == 2 && Integer.parseInt(version[1]) >= 1),
                "Kafka protocol version " + meta.get("version"));

        GenericKubernetesResource kafka = manifests.single("Kafka");
        String namespace = manifests.of(Namespace.class).get(0).getMetadata().getName();
        String bootstrap =
                manifests.named(ConfigMap.class, "tlab-config").getData().get("KAFKA_BOOTSTRAP_SERVERS");
        String host = bootstrap.substring(0, bootstrap.indexOf(':'));
        assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap", host);
        // KEDA's operator lives in its own namespace: the address must be fully qualified.
        assertEquals(
                host + "." + namespace + ".svc" + bootstrap.substring(bootstrap.indexOf(':')),
                meta.get("bootstrapServers"));
    }

    /**
     * Each trainer patches its own pod's deletion cost with the token of a service account that may get and patch pods
     * of the namespace and nothing else, and knows its pod from the downward API; the other services get no token.
     */
    @Test
    void trainersMarkTheirOwnPodWithTheirOwnNarrowIdentity() {
        Deployment trainer = manifests.named(Deployment.class, "trainer-service");
        var pod = trainer.getSpec().getTemplate().getSpec();
        String account = pod.getServiceAccountName();
        assertNotNull(account, "a service account of its own, not default");
        manifests.named(ServiceAccount.class, account);
        assertTrue(!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()), "the trainer needs its token");

        List<RoleBinding> bindings = manifests.of(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream()
                        .anyMatch(s -> s.getKind().equals("ServiceAccount")
                                && s.getName().equals(account)))
                .toList();
        assertEquals(1, bindings.size(), "one binding for " + account);
        RoleBinding binding = bindings.get(0);
        assertEquals("Role", binding.getRoleRef().getKind(), "namespaced, not a ClusterRole");
        Role role = manifests.named(Role.class, binding.getRoleRef().getName());
        assertEquals(1, role.getRules().size(), role.getRules().toString());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of(""), rule.getApiGroups());
        assertEquals(List.of("pods"), rule.getResources());
        assertEquals(Set.of("get", "patch"), Set.copyOf(rule.getVerbs()));
        assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());

        var env = KubernetesManifestsTest.single(trainer).getEnv();
        assertEquals("metadata.name", fieldRef(env, "POD_NAME"));
        assertEquals("metadata.namespace", fieldRef(env, "POD_NAMESPACE"));

        for (String other : List.of("dataset-service", "results-service")) {
            assertEquals(
                    Boolean.FALSE,
                    manifests
                            .named(Deployment.class, other)
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getAutomountServiceAccountToken(),
                    other + " never calls the Kubernetes API: no token");
        }
    }

    private static String fieldRef(List<io.fabric8.kubernetes.api.model.EnvVar> env, String name) {
        return env.stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .map(e -> e.getValueFrom().getFieldRef().getFieldPath())
                .orElseThrow(() -> new AssertionError("no " + name + " from the downward API"));
    }

    @Test
    void kedaAuthenticatesAsTheAutoscalerKafkaUser() {
        Map<String, Object> trigger =
                map(list(scaledObjectSpec().get("triggers")).get(0));
        String authName = (String) map(trigger.get("authenticationRef")).get("name");
        GenericKubernetesResource auth = manifests.custom("TriggerAuthentication").stream()
                .filter(a -> a.getMetadata().getName().equals(authName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TriggerAuthentication " + authName));
        Map<String, Object> authSpec = map(auth.getAdditionalProperties().get("spec"));
        Map<String, String> parameters = new java.util.HashMap<>();
        for (Object ref : list(authSpec.get("configMapTargetRef"))) {
            Map<String, Object> r = map(ref);
            ConfigMap config = manifests.named(ConfigMap.class, (String) r.get("name"));
            parameters.put((String) r.get("parameter"), config.getData().get((String) r.get("key")));
        }
        String user = parameters.get("username");
        assertEquals("scram_sha512", parameters.get("sasl"), "KEDA's name of SCRAM-SHA-512");
        assertTrue(KafkaSecurityTest.kafkaUserNames(manifests).contains(user), "no KafkaUser " + user);
        Map<String, Map<String, Object>> secrets = new java.util.HashMap<>();
        for (Object ref : list(authSpec.get("secretTargetRef"))) {
            secrets.put((String) map(ref).get("parameter"), map(ref));
        }
        Map<String, Object> password = secrets.get("password");
        assertEquals(user, password.get("name"), "the Secret Strimzi generates for that KafkaUser");
        assertEquals("password", password.get("key"));
        // Over TLS, trusting the Kafka cluster CA only (KEDA v2.19.0 parseKafkaAuthParams: "tls" enable, "ca").
        assertEquals("enable", parameters.get("tls"));
        assertEquals(
                KafkaSecurityTest.clusterCaSecret(manifests), secrets.get("ca").get("name"));
        assertEquals("ca.crt", secrets.get("ca").get("key"));
        assertNull(kafkaTrigger().get("tls"), "KEDA refuses tls in both the trigger and its authentication");
        assertNull(kafkaTrigger().get("unsafeSsl"), "the broker's certificate is checked");
    }

    private static Map<String, Object> scaledObjectSpec() {
        return map(manifests.single("ScaledObject").getAdditionalProperties().get("spec"));
    }

    private static Map<String, Object> kafkaTrigger() {
        List<Object> triggers = list(scaledObjectSpec().get("triggers"));
        assertEquals(1, triggers.size());
        Map<String, Object> trigger = map(triggers.get(0));
        assertEquals("kafka", trigger.get("type"));
        return map(trigger.get("metadata"));
    }
}
