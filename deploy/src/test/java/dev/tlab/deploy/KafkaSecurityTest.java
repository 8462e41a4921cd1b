package dev.tlab.deploy;

import static dev.tlab.deploy.KubernetesManifestsTest.list;
import static dev.tlab.deploy.KubernetesManifestsTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka authentication and authorization in Kubernetes and compose: every client logs in with SCRAM-SHA-512 as its own
 * identity, the grants are exactly those of the access model (both files the same, and equal to
 * dev.tlab.contracts.KafkaAccess), no credential is shipped, and only the lab's pods reach the brokers and services.
 */
class KafkaSecurityTest {

    /** The Kafka identity of each service, as the access model names it. */
    static final Map<String, String> IDENTITY_OF_SERVICE = Map.of(
            "dataset-service", "dataset-service",
            "results-service", "results-service",
            "trainer-service", "trainer");

    static final Pattern JAAS = Pattern.compile(
            "org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule required username=\"([^\"]+)\" "
                    + "password=\"\\$\\{([A-Z0-9_]+):\\?[^}]+}\";");

    /** One allow rule, in Kafka's names (TOPIC/GROUP, LITERAL/PREFIXED, READ/WRITE/DESCRIBE). */
    record Acl(String user, String resourceType, String resourceName, String patternType, String operation) {
        @Override
        public String toString() {
            return user + " " + operation + " " + resourceType + ":" + resourceName
                    + ("PREFIXED".equals(patternType) ? "*" : "");
        }
    }

    static Manifests manifests;
    static Map<String, Object> compose;

    @BeforeAll
    static void load() {
        manifests = Manifests.load();
        compose = DeployFiles.snakeYaml(DeployFiles.repoRoot().resolve("docker-compose.yml"));
    }

    // ---- Kubernetes

    @Test
    void brokersAuthenticateEveryClientOverTlsAndAuthorizeWithAcls() {
        Map<String, Object> kafkaSpec =
                map(map(manifests.single("Kafka").getAdditionalProperties().get("spec"))
                        .get("kafka"));
        for (Object l : list(kafkaSpec.get("listeners"))) {
            Map<String, Object> listener = map(l);
            assertEquals(
                    "scram-sha-512",
                    map(listener.get("authentication")).get("type"),
                    "listener " + listener.get("name") + " must authenticate its clients");
            // SCRAM keeps the password off the wire, not the messages nor the bearer tokens some of them carry: no
            // listener the services could reach speaks plain text (Strimzi's own replication and control-plane
            // listeners are TLS and admit only Strimzi's components).
            assertEquals(
                    Boolean.TRUE,
                    listener.get("tls"),
                    "listener " + listener.get("name") + " must encrypt (tls: true), port " + listener.get("port"));
            // Only the lab's pods and the KEDA operator may connect (Strimzi writes these into its NetworkPolicy).
            List<Object> peers = list(listener.get("networkPolicyPeers"));
            assertFalse(peers.isEmpty(), "listener " + listener.get("name") + " is open to every pod of the cluster");
            for (Object p : peers) {
                Map<String, Object> peer = map(p);
                assertNull(peer.get("ipBlock"), "no address ranges: " + peer);
                assertTrue(peer.containsKey("podSelector") || peer.containsKey("namespaceSelector"), peer.toString());
                if (peer.get("podSelector") != null && peer.get("namespaceSelector") == null) {
                    assertEquals(
                            Map.of("app.kubernetes.io/part-of", "tlab"),
                            map(map(peer.get("podSelector"))).get("matchLabels"),
                            "pods of the lab only");
                }
            }
        }
        Map<String, Object> authorization = map(kafkaSpec.get("authorization"));
        assertEquals("simple", authorization.get("type"));
        assertNull(authorization.get("superUsers"), "no identity of ours bypasses the ACLs");
    }

    @Test
    void eachServiceLogsInAsItsOwnKafkaUserWithTheGeneratedPassword() {
        ConfigMap config = manifests.named(ConfigMap.class, "tlab-config");
        assertEquals("SASL_SSL", config.getData().get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", config.getData().get("KAFKA_SASL_MECHANISM"));
        for (Map.Entry<String, String> e : IDENTITY_OF_SERVICE.entrySet()) {
            Deployment deployment = manifests.named(Deployment.class, e.getKey());
            Container container = KubernetesManifestsTest.single(deployment);
            assertTrue(
                    container.getEnvFrom().stream()
                            .anyMatch(f -> f.getConfigMapRef() != null
                                    && "tlab-config".equals(f.getConfigMapRef().getName())),
                    e.getKey() + " imports tlab-config");
            EnvVar jaas = container.getEnv().stream()
                    .filter(v -> v.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + " has no KAFKA_SASL_JAAS_CONFIG"));
            var ref = jaas.getValueFrom().getSecretKeyRef();
            assertEquals(e.getValue(), ref.getName(), e.getKey() + " must log in as KafkaUser " + e.getValue());
            assertEquals("sasl.jaas.config", ref.getKey());
            assertTrue(kafkaUserNames(manifests).contains(ref.getName()), "no KafkaUser " + ref.getName());
        }
    }

    /**
     * Every Kafka client of the cluster speaks SASL_SSL to the TLS listener and trusts exactly the Kafka cluster CA:
     * its certificate from the Secret Strimzi's cluster operator keeps ({@code <cluster>-cluster-ca-cert}, key
     * {@code ca.crt}), mounted where the PEM truststore setting points.
     */
    @Test
    void everyClientTrustsTheClusterCaOnTheTlsListener() {
        GenericKubernetesResource kafka = manifests.single("Kafka");
        String caSecret = clusterCaSecret(manifests);
        List<Object> listeners =
                list(map(map(kafka.getAdditionalProperties().get("spec")).get("kafka"))
                        .get("listeners"));
        assertEquals(1, listeners.size(), "one listener for the clients: " + listeners);
        Map<String, Object> tls = map(listeners.get(0));
        ConfigMap config = manifests.named(ConfigMap.class, "tlab-config");
        assertEquals(
                kafka.getMetadata().getName() + "-kafka-bootstrap:" + tls.get("port"),
                config.getData().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("PEM", config.getData().get("KAFKA_SSL_TRUSTSTORE_TYPE"));
        String truststore = config.getData().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        assertNull(config.getData().get("KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM"), "host names stay checked");
        for (String service : IDENTITY_OF_SERVICE.keySet()) {
            Deployment deployment = manifests.named(Deployment.class, service);
            Container container = KubernetesManifestsTest.single(deployment);
            String volume = KubernetesManifestsTest.assertMountedUnder(container, truststore, service + " truststore");
            var mount = container.getVolumeMounts().stream()
                    .filter(m -> m.getName().equals(volume))
                    .findFirst()
                    .orElseThrow();
            var secret = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(volume))
                    .findFirst()
                    .orElseThrow()
                    .getSecret();
            assertTrue(secret != null && caSecret.equals(secret.getSecretName()), service + ": " + volume);
            String file = truststore.substring(mount.getMountPath().length() + 1);
            assertTrue(
                    secret.getItems().stream()
                            .anyMatch(i ->
                                    i.getKey().equals("ca.crt") && i.getPath().equals(file)),
                    service + ": " + truststore + " must be the CA's ca.crt");
            assertEquals(Boolean.TRUE, mount.getReadOnly(), service);
        }
    }

    @Test
    void kafkaUsersGrantExactlyTheAccessModel() {
        Set<Acl> kubernetes = kubernetesAcls(manifests);
        Set<Acl> composeAcls = composeAcls(compose);
        // compose runs no autoscaler; every other identity has the same grants in both.
        Set<Acl> withoutAutoscaler =
                kubernetes.stream().filter(a -> !a.user().equals("autoscaler")).collect(Collectors.toSet());
        assertEquals(
                sorted(withoutAutoscaler),
                sorted(composeAcls),
                "Kubernetes KafkaUsers and compose's kafka-setup differ");
        accessModel()
                .ifPresent(model -> assertEquals(
                        sorted(model),
                        sorted(kubernetes),
                        "the KafkaUsers differ from dev.tlab.contracts.KafkaAccess"));

        // What issue 13 names, independently of the model: the trigger may only write experiments...
        assertEquals(Set.of(new Acl("trigger", "TOPIC", "experiments", "LITERAL", "WRITE")), of(kubernetes, "trigger"));
        // ...a trainer cannot start experiments, the viewer cannot write anything.
        assertTrue(of(kubernetes, "trainer").stream()
                .noneMatch(a -> a.resourceName().equals("experiments")));
        assertTrue(of(kubernetes, "viewer").stream().allMatch(a -> a.operation().equals("READ")));
        for (GenericKubernetesResource user : manifests.custom("KafkaUser")) {
            Map<String, Object> spec = map(user.getAdditionalProperties().get("spec"));
            assertEquals(
                    "scram-sha-512",
                    map(spec.get("authentication")).get("type"),
                    user.getMetadata().getName());
            assertNull(
                    map(spec.get("authentication")).get("password"),
                    "Strimzi generates the password; a given one would be a shipped credential");
        }
    }

    @Test
    void noSecretIsShippedAndReapplyingNeverResetsOne() {
        assertTrue(
                manifests.all().stream().noneMatch(l -> l.resource().getKind().equals("Secret")),
                "the manifests must not create Secrets: `kubectl apply -k` would reset a rotated one");
        // The Secrets made by hand are documented with a command that generates their value.
        assertEquals(
                Map.of(
                        "tlab-trigger-token",
                        Set.of("token"),
                        "tlab-dataset-reader-token",
                        Set.of("token"),
                        "tlab-plan-token",
                        Set.of("token")),
                documentedSecrets());
        String readme = DeployFiles.read(DeployFiles.deployDir().resolve("README.md"));
        for (String secret : documentedSecrets().keySet()) {
            assertTrue(
                    readme.contains(secret + " --from-literal=token=\"$(openssl rand -hex 24)\""),
                    secret + ": generated");
        }
    }

    @Test
    void trainersFetchDataWithTheReaderTokenWhichIsNotTheTriggerToken() {
        var datasetEnv = KubernetesManifestsTest.single(manifests.named(Deployment.class, "dataset-service"))
                .getEnv();
        var trainerEnv = KubernetesManifestsTest.single(manifests.named(Deployment.class, "trainer-service"))
                .getEnv();
        String reader = secretOf(datasetEnv, "TLAB_DATASET_READER_TOKEN");
        assertEquals(reader, secretOf(trainerEnv, "TLAB_TRAINER_DATASET_TOKEN"), "trainers send the reader token");
        assertFalse(reader.equals(secretOf(datasetEnv, "TLAB_DATASET_TRIGGER_TOKEN")), "two distinct tokens");

        Map<String, Object> dataset = map(map(services().get("dataset-service")).get("environment"));
        String readerVariable = requiredVariable(String.valueOf(dataset.get("TLAB_DATASET_READER_TOKEN")));
        for (String trainer : List.of("trainer-service", "trainer-service-gpu")) {
            Map<String, Object> env = map(map(services().get(trainer)).get("environment"));
            assertEquals(
                    readerVariable, requiredVariable(String.valueOf(env.get("TLAB_TRAINER_DATASET_TOKEN"))), trainer);
        }
        assertFalse(readerVariable.equals(requiredVariable(String.valueOf(dataset.get("TLAB_DATASET_TRIGGER_TOKEN")))));
    }

    private static String secretOf(List<EnvVar> env, String name) {
        EnvVar var = env.stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
        return var.getValueFrom().getSecretKeyRef().getName() + "/"
                + var.getValueFrom().getSecretKeyRef().getKey();
    }

    @Test
    void onlyTheLabsPodsAndPrometheusReachTheServices() {
        NetworkPolicy policy = manifests.named(NetworkPolicy.class, "tlab-services");
        Set<String> selected = manifests.of(Deployment.class).stream()
                .filter(d ->
                        selects(policy, d.getSpec().getTemplate().getMetadata().getLabels()))
                .map(d -> d.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(KubernetesManifestsTest.SERVICES.keySet(), selected);
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        List<NetworkPolicyPeer> peers = policy.getSpec().getIngress().get(0).getFrom();
        assertFalse(peers.isEmpty(), "an empty 'from' admits everyone");
        for (NetworkPolicyPeer peer : peers) {
            assertNull(peer.getIpBlock());
            if (peer.getNamespaceSelector() == null) {
                assertEquals(
                        Map.of("app.kubernetes.io/part-of", "tlab"),
                        peer.getPodSelector().getMatchLabels());
            } else {
                assertFalse(peer.getNamespaceSelector().getMatchLabels().isEmpty(), "not every namespace");
            }
        }
        assertEquals(
                "http",
                policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal());
    }

    // ---- compose

    @Test
    void composeBrokerAuthenticatesEveryReachableListener() {
        Map<String, Object> env = map(map(services().get("kafka")).get("environment"));
        Map<String, String> protocols = new HashMap<>();
        for (String entry :
                String.valueOf(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).split(",")) {
            protocols.put(entry.split(":")[0], entry.split(":")[1]);
        }
        for (String listener : String.valueOf(env.get("KAFKA_LISTENERS")).split(",")) {
            Matcher m = Pattern.compile("([A-Z_]+)://([^:]*):(\\d+)").matcher(listener);
            assertTrue(m.matches(), listener);
            if (!m.group(2).equals("127.0.0.1")) {
                assertEquals(
                        "SASL_PLAINTEXT", protocols.get(m.group(1)), listener + " is reachable and must authenticate");
                assertTrue(
                        env.containsKey("KAFKA_LISTENER_NAME_" + m.group(1) + "_SCRAM__SHA__512_SASL_JAAS_CONFIG"),
                        "the broker needs a SCRAM login module for " + m.group(1));
            }
        }
        assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_ENABLED_MECHANISMS"));
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", env.get("KAFKA_AUTHORIZER_CLASS_NAME"));
        assertEquals("false", String.valueOf(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")));
        // ANONYMOUS is what the loopback PLAINTEXT listeners yield; the SASL ones never do.
        assertEquals("User:ANONYMOUS", env.get("KAFKA_SUPER_USERS"));
        assertEquals(
                "service:kafka",
                map(services().get("kafka-setup")).get("network_mode"),
                "kafka-setup reaches the loopback admin listener only from inside the broker's network namespace");
    }

    @Test
    void composeServicesLogInAsTheirIdentityWithRequiredPasswords() {
        Map<String, Object> setupEnv = map(map(services().get("kafka-setup")).get("environment"));
        Map<String, String> passwordVariableOfUser = new HashMap<>();
        String script = String.join(
                "\n",
                list(map(services().get("kafka-setup")).get("command")).stream()
                        .map(String::valueOf)
                        .toList());
        Matcher users = Pattern.compile("--entity-type users --entity-name (\\S+) --add-config "
                        + "\"SCRAM-SHA-512=\\[password=\\$\\$([A-Z_]+)]\"")
                .matcher(script);
        while (users.find()) {
            String variable = requiredVariable(String.valueOf(setupEnv.get(users.group(2))));
            passwordVariableOfUser.put(users.group(1), variable);
        }
        assertEquals(
                kafkaUserNames(manifests).stream()
                        .filter(u -> !u.equals("autoscaler"))
                        .collect(Collectors.toSet()),
                passwordVariableOfUser.keySet(),
                "compose users (no autoscaler there)");
        assertEquals(
                passwordVariableOfUser.size(),
                Set.copyOf(passwordVariableOfUser.values()).size(),
                "one password per identity");
        for (String service : List.of("dataset-service", "results-service", "trainer-service", "trainer-service-gpu")) {
            Map<String, Object> env = map(map(services().get(service)).get("environment"));
            assertEquals("SASL_PLAINTEXT", env.get("KAFKA_SECURITY_PROTOCOL"), service);
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM"), service);
            Matcher jaas = JAAS.matcher(String.valueOf(env.get("KAFKA_SASL_JAAS_CONFIG")));
            assertTrue(jaas.matches(), service + " JAAS config " + env.get("KAFKA_SASL_JAAS_CONFIG"));
            String identity = IDENTITY_OF_SERVICE.get(service.replace("-gpu", ""));
            assertEquals(identity, jaas.group(1), service + " user");
            assertEquals(passwordVariableOfUser.get(identity), jaas.group(2), service + " password variable");
        }
    }

    // ---- helpers shared with other tests

    static Set<String> kafkaUserNames(Manifests manifests) {
        return manifests.custom("KafkaUser").stream()
                .map(u -> u.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    /**
     * Secrets that exist in the cluster without being in the manifests, with their keys: the one Strimzi's user
     * operator generates for each SCRAM KafkaUser (named like it), the cluster CA certificate its cluster operator
     * generates, and those deploy/README.md says to create.
     */
    static Map<String, Set<String>> secretKeysMadeOutsideTheManifests(Manifests manifests) {
        Map<String, Set<String>> secrets = new HashMap<>(documentedSecrets());
        kafkaUserNames(manifests).forEach(u -> secrets.put(u, Set.of("password", "sasl.jaas.config")));
        // The cluster CA's public part, which Strimzi's cluster operator generates for every Kafka cluster.
        secrets.put(clusterCaSecret(manifests), Set.of("ca.crt", "ca.p12", "ca.password"));
        return secrets;
    }

    /** The Secret holding the Kafka cluster CA's certificate: {@code <cluster>-cluster-ca-cert} (Strimzi). */
    static String clusterCaSecret(Manifests manifests) {
        return manifests.single("Kafka").getMetadata().getName() + "-cluster-ca-cert";
    }

    /** `kubectl -n tlab create secret generic NAME --from-literal=KEY=...` commands of deploy/README.md. */
    static Map<String, Set<String>> documentedSecrets() {
        Matcher m = Pattern.compile("create secret generic (\\S+) --from-literal=([\\w.-]+)=")
                .matcher(DeployFiles.read(DeployFiles.deployDir().resolve("README.md")));
        Map<String, Set<String>> secrets = new HashMap<>();
        while (m.find()) {
            secrets.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
        return secrets;
    }

    static Set<Acl> kubernetesAcls(Manifests manifests) {
        Set<Acl> acls = new java.util.HashSet<>();
        for (GenericKubernetesResource user : manifests.custom("KafkaUser")) {
            Map<String, Object> authorization =
                    map(map(user.getAdditionalProperties().get("spec")).get("authorization"));
            assertEquals("simple", authorization.get("type"));
            for (Object a : list(authorization.get("acls"))) {
                Map<String, Object> acl = map(a);
                assertTrue(acl.get("type") == null || "allow".equals(acl.get("type")), "allow rules only: " + acl);
                assertNull(acl.get("host"), "from any host, as the model");
                Map<String, Object> resource = map(acl.get("resource"));
                String pattern = "prefix".equals(resource.get("patternType")) ? "PREFIXED" : "LITERAL";
                for (Object operation : list(acl.get("operations"))) {
                    acls.add(new Acl(
                            user.getMetadata().getName(),
                            upper(resource.get("type")),
                            (String) resource.get("name"),
                            pattern,
                            upper(operation)));
                }
            }
        }
        return acls;
    }

    static Set<Acl> composeAcls(Map<String, Object> composeFile) {
        Map<String, Object> setup = map(map(composeFile.get("services")).get("kafka-setup"));
        String script = String.join(
                "\n", list(setup.get("command")).stream().map(String::valueOf).toList());
        Set<Acl> acls = new java.util.HashSet<>();
        Matcher lines = Pattern.compile("kafka-acls\\.sh [^\\n]*").matcher(script);
        while (lines.find()) {
            String line = lines.group();
            assertTrue(line.contains(" --add ") && line.contains("--allow-principal User:"), line);
            String user = ComposeTest.option(line, "--allow-principal").substring("User:".length());
            String type = line.contains("--topic ") ? "TOPIC" : "GROUP";
            String name = ComposeTest.option(line, type.equals("TOPIC") ? "--topic" : "--group");
            String pattern = line.contains("--resource-pattern-type prefixed") ? "PREFIXED" : "LITERAL";
            Matcher operations = Pattern.compile("--operation (\\S+)").matcher(line);
            while (operations.find()) {
                acls.add(new Acl(user, type, name, pattern, upper(operations.group(1))));
            }
        }
        return acls;
    }

    /**
     * The grants of dev.tlab.contracts.KafkaAccess, the lab's access model, read reflectively: that class comes with
     * the broker's authentication work (local-kafka), built alongside these manifests; where it is not on the class
     * path yet, the two deployment files are still held equal to each other and to the rules of issue 13 above.
     */
    static java.util.Optional<Set<Acl>> accessModel() {
        Class<?> model;
        try {
            model = Class.forName("dev.tlab.contracts.KafkaAccess");
        } catch (ClassNotFoundException e) {
            System.out.println("[KafkaSecurityTest] dev.tlab.contracts.KafkaAccess not on the class path: "
                    + "compared Kubernetes with compose and with issue 13's rules only");
            return java.util.Optional.empty();
        }
        try {
            Set<Acl> acls = new java.util.HashSet<>();
            for (Object grant : (List<?>) model.getMethod("grants").invoke(null)) {
                Object identity = call(grant, "identity");
                acls.add(new Acl(
                        (String) call(identity, "userName"),
                        ((Enum<?>) call(grant, "resourceType")).name(),
                        (String) call(grant, "resourceName"),
                        ((Enum<?>) call(grant, "patternType")).name(),
                        ((Enum<?>) call(grant, "operation")).name()));
            }
            return java.util.Optional.of(acls);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("dev.tlab.contracts.KafkaAccess changed shape: " + e, e);
        }
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }

    private static Set<Acl> of(Set<Acl> acls, String user) {
        return acls.stream().filter(a -> a.user().equals(user)).collect(Collectors.toSet());
    }

    private static List<String> sorted(Set<Acl> acls) {
        List<String> out = new ArrayList<>(acls.stream().map(Acl::toString).toList());
        out.sort(null);
        return out;
    }

    private static String upper(Object value) {
        return String.valueOf(value).toUpperCase(Locale.ROOT);
    }

    private static boolean selects(NetworkPolicy policy, Map<String, String> labels) {
        var selector = policy.getSpec().getPodSelector();
        boolean labelsMatch = selector.getMatchLabels() == null
                || selector.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        boolean expressionsMatch = selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream()
                        .allMatch(x ->
                                "In".equals(x.getOperator()) && x.getValues().contains(labels.get(x.getKey())));
        return labelsMatch && expressionsMatch;
    }

    /** The variable of a `${VAR:?message}` value (a required one: compose refuses to start without it). */
    static String requiredVariable(String value) {
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]+}").matcher(value);
        assertTrue(m.matches(), "not a required variable: " + value);
        return m.group(1);
    }

    private static Map<String, Object> services() {
        return map(compose.get("services"));
    }
}
