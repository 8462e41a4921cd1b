package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every rendered manifest parses into typed objects, and the cross-references between them hold. */
class KubernetesManifestsTest {

    /** Service name and planned HTTP port (or quarkus.http.port where the service already sets it). */
    static final Map<String, Integer> SERVICES = Map.of(
            "dataset-service", ServiceConfig.httpPort("dataset-service", 8081),
            "results-service", ServiceConfig.httpPort("results-service", 8082),
            "trainer-service", ServiceConfig.httpPort("trainer-service", 8083));

    static Manifests manifests;

    @BeforeAll
    static void load() {
        manifests = Manifests.load();
    }

    @Test
    void everyFileHoldsOnlyKnownKinds() {
        assertFalse(manifests.all().isEmpty());
        Set<String> kinds =
                manifests.all().stream().map(l -> l.resource().getKind()).collect(Collectors.toSet());
        assertTrue(
                kinds.containsAll(Set.of(
                        "Namespace",
                        "Deployment",
                        "Service",
                        "ConfigMap",
                        "NetworkPolicy",
                        "PersistentVolumeClaim",
                        "Kafka",
                        "KafkaNodePool",
                        "KafkaTopic",
                        "KafkaUser",
                        "ScaledObject",
                        "TriggerAuthentication",
                        "ServiceMonitor",
                        "PodMonitor",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding")),
                "kinds found: " + kinds);
        String namespace = manifests.of(Namespace.class).get(0).getMetadata().getName();
        Set<String> seen = new HashSet<>();
        for (Manifests.Loaded loaded : manifests.all()) {
            String id = loaded.resource().getKind() + "/"
                    + loaded.resource().getMetadata().getName();
            assertTrue(seen.add(id), "declared twice: " + id);
            if (!(loaded.resource() instanceof Namespace)) {
                assertEquals(namespace, loaded.resource().getMetadata().getNamespace(), id + " namespace");
            }
            assertEquals(
                    "tlab",
                    loaded.resource().getMetadata().getLabels().get("app.kubernetes.io/part-of"),
                    id + " lacks app.kubernetes.io/part-of=tlab");
        }
    }

    @Test
    void eachServiceHasDeploymentAndServiceThatAgree() {
        for (Map.Entry<String, Integer> entry : SERVICES.entrySet()) {
            String name = entry.getKey();
            Deployment deployment = manifests.named(Deployment.class, name);
            Service service = manifests.named(Service.class, name);
            Map<String, String> podLabels =
                    deployment.getSpec().getTemplate().getMetadata().getLabels();

            // The Deployment's selector picks its own pods, and the Service picks exactly this Deployment's pods.
            deployment
                    .getSpec()
                    .getSelector()
                    .getMatchLabels()
                    .forEach((k, v) -> assertEquals(v, podLabels.get(k), name + " selector vs pod label " + k));
            Map<String, String> selector = service.getSpec().getSelector();
            assertFalse(selector == null || selector.isEmpty(), name + " Service has no selector");
            List<Deployment> matching = manifests.of(Deployment.class).stream()
                    .filter(d -> matches(
                            selector, d.getSpec().getTemplate().getMetadata().getLabels()))
                    .collect(Collectors.toList());
            assertEquals(
                    List.of(name),
                    matching.stream().map(d -> d.getMetadata().getName()).toList(),
                    "Service " + name + " must select exactly its Deployment");

            Container container = single(deployment);
            ServicePort port = service.getSpec().getPorts().get(0);
            assertEquals("http", port.getName());
            assertEquals(entry.getValue(), port.getPort(), name + " Service port");
            ContainerPort target = containerPort(
                    container,
                    port.getTargetPort().getStrVal(),
                    port.getTargetPort().getIntVal());
            assertEquals(entry.getValue(), target.getContainerPort(), name + " container port");

            assertProbe(container.getLivenessProbe(), "/q/health/live", container, name + " liveness");
            assertProbe(container.getReadinessProbe(), "/q/health/ready", container, name + " readiness");
            if (container.getStartupProbe() != null && !name.equals("trainer-service")) {
                assertProbe(container.getStartupProbe(), "/q/health/started", container, name + " startup");
            }
            assertTrue(container.getImage().contains(name), name + " image " + container.getImage());
            assertEquals(
                    "tlab-kafka-bootstrap:9093",
                    envValue(deployment, container, "KAFKA_BOOTSTRAP_SERVERS"),
                    name + " must get KAFKA_BOOTSTRAP_SERVERS");
        }
    }

    @Test
    void envVarsVolumesAndSecretsReferToExistingObjects() {
        for (Deployment deployment : manifests.of(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Set<String> volumeNames =
                    pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            for (Volume volume : pod.getVolumes()) {
                if (volume.getPersistentVolumeClaim() != null) {
                    manifests.named(
                            PersistentVolumeClaim.class,
                            volume.getPersistentVolumeClaim().getClaimName());
                }
            }
            for (Container container : pod.getContainers()) {
                for (EnvFromSource from : container.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        manifests.named(ConfigMap.class, from.getConfigMapRef().getName());
                    }
                    assertNull(from.getSecretRef(), name + ": take single keys of a Secret, not all of it");
                }
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() == null) {
                        assertNotNull(env.getValue(), name + " env " + env.getName() + " has no value");
                        continue;
                    }
                    var secretRef = env.getValueFrom().getSecretKeyRef();
                    if (secretRef != null) {
                        assertTrue(
                                KafkaSecurityTest.secretKeysMadeOutsideTheManifests(manifests)
                                        .getOrDefault(secretRef.getName(), Set.of())
                                        .contains(secretRef.getKey()),
                                name + " env " + env.getName() + ": nothing makes Secret " + secretRef.getName()
                                        + " with key " + secretRef.getKey());
                    }
                    var configRef = env.getValueFrom().getConfigMapKeyRef();
                    if (configRef != null) {
                        ConfigMap map = manifests.named(ConfigMap.class, configRef.getName());
                        assertTrue(map.getData().containsKey(configRef.getKey()), name + " env " + env.getName());
                    }
                }
                for (VolumeMount mount : container.getVolumeMounts()) {
                    assertTrue(
                            volumeNames.contains(mount.getName()), name + " mounts unknown volume " + mount.getName());
                }
            }
            for (Volume volume : pod.getVolumes()) {
                if (volume.getSecret() != null) {
                    Set<String> keys = KafkaSecurityTest.secretKeysMadeOutsideTheManifests(manifests)
                            .getOrDefault(volume.getSecret().getSecretName(), Set.of());
                    assertFalse(
                            keys.isEmpty(),
                            name + ": nothing makes Secret "
                                    + volume.getSecret().getSecretName());
                    volume.getSecret()
                            .getItems()
                            .forEach(item -> assertTrue(
                                    keys.contains(item.getKey()),
                                    name + ": Secret " + volume.getSecret().getSecretName() + " has no key "
                                            + item.getKey()));
                }
            }
        }
    }

    /**
     * Every service defaults to 127.0.0.1 in its own configuration (a jar run alone is not open to the network); in a
     * pod it must listen on the pod's address, or the Service, the kubelet's probes and Prometheus reach nothing. Each
     * service container sets the wider address itself, not through a shared ConfigMap.
     */
    @Test
    void everyServiceContainerListensOnThePodsAddress() {
        for (String name : SERVICES.keySet()) {
            Container container = single(manifests.named(Deployment.class, name));
            assertEquals(
                    List.of("0.0.0.0"),
                    container.getEnv().stream()
                            .filter(e -> e.getName().equals("QUARKUS_HTTP_HOST"))
                            .map(EnvVar::getValue)
                            .toList(),
                    name + " must set QUARKUS_HTTP_HOST=0.0.0.0");
        }
    }

    /**
     * A trainer that never becomes ready (no usable GPU, libtorch that does not load) is restarted by its startup
     * probe, which asks the readiness endpoint, within a bound long enough for CUDA start-up on a cold node; a trainer
     * that cannot go on (liveness) is restarted after a few failures, not at the first slow answer.
     */
    @Test
    void aTrainerThatNeverBecomesReadyOrStopsBeingLiveIsRestarted() {
        Container trainer = single(manifests.named(Deployment.class, "trainer-service"));
        Probe startup = trainer.getStartupProbe();
        assertProbe(startup, "/q/health/ready", trainer, "the startup probe waits for readiness");
        int startupSeconds = startup.getPeriodSeconds() * startup.getFailureThreshold();
        assertTrue(
                startupSeconds >= 300 && startupSeconds <= 1800,
                "time to get ready before a restart: " + startupSeconds + " s (5-30 min)");
        Probe liveness = trainer.getLivenessProbe();
        assertProbe(liveness, "/q/health/live", trainer, "liveness");
        assertTrue(liveness.getFailureThreshold() >= 3, "a few failures, not one");
        assertTrue(liveness.getTimeoutSeconds() >= 5, "a busy trainer may answer slowly");
        assertTrue(
                liveness.getPeriodSeconds() * liveness.getFailureThreshold() <= 120,
                "a broken trainer is replaced within two minutes");
    }

    /**
     * The trainer is sized by its pod, not by the node: a CPU limit (what availableProcessors(), and so the data
     * threads and the batches prepared ahead, follow) equal to the request, a memory limit equal to the request (with
     * the init container's alike, the pod is Guaranteed: evicted last), and a memory limit in which the image's
     * direct-memory share (its MaxRAMPercentage, which also caps the direct buffers the prepared batches live in) and
     * libtorch's part both have room.
     */
    @Test
    void theTrainerIsSizedByItsPod() {
        Deployment trainer = manifests.named(Deployment.class, "trainer-service");
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
            for (String resource : List.of("cpu", "memory")) {
                Quantity request = c.getResources().getRequests().get(resource);
                Quantity limit = c.getResources().getLimits().get(resource);
                assertNotNull(limit, c.getName() + " must limit " + resource);
                assertEquals(
                        limit.getNumericalAmount(),
                        request.getNumericalAmount(),
                        c.getName() + " " + resource + ": request = limit (Guaranteed QoS)");
            }
        }
        Container container = single(trainer);
        long memory = container
                .getResources()
                .getLimits()
                .get("memory")
                .getNumericalAmount()
                .longValue();
        String javaOpts = DeployFiles.read(DeployFiles.repoRoot().resolve(Dockerfiles.CUDA));
        java.util.regex.Matcher share =
                java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOpts);
        assertTrue(share.find(), "the GPU image sets MaxRAMPercentage");
        long javaShare = memory * Integer.parseInt(share.group(1)) / 100;
        assertTrue(javaShare >= 1L << 30, "direct memory for prepared batches (224 px, batch 128: 77 MB each)");
        assertTrue(memory - 2 * javaShare >= 6L << 30, "libtorch and the CUDA context keep at least 6 GiB");
        int cpus = container
                .getResources()
                .getLimits()
                .get("cpu")
                .getNumericalAmount()
                .intValue();
        assertTrue(cpus >= 2, "data threads and the training thread: " + cpus);
    }

    @Test
    void datasetServiceGetsItsTriggerTokenFromTheSecretAndUrlsThatResolve() {
        Deployment dataset = manifests.named(Deployment.class, "dataset-service");
        Container container = single(dataset);
        EnvVar token = container.getEnv().stream()
                .filter(e -> e.getName().equals("TLAB_DATASET_TRIGGER_TOKEN"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TLAB_DATASET_TRIGGER_TOKEN"));
        assertNotNull(token.getValueFrom().getSecretKeyRef(), "the trigger token must come from a Secret");
        assertEquals(
                "http://dataset-service:" + SERVICES.get("dataset-service"),
                envValue(dataset, container, "TLAB_DATASET_PUBLIC_URL"));
        assertEquals(
                "http://results-service:" + SERVICES.get("results-service"),
                envValue(dataset, container, "TLAB_DATASET_RESULTS_URL"));
        assertMountedUnder(container, envValue(dataset, container, "TLAB_DATASET_DATA_DIR"), "data dir");
    }

    @Test
    void trainerRunsOnGpuNodesWithVolumesForCheckpointsAndModels() {
        Deployment trainer = manifests.named(Deployment.class, "trainer-service");
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        Container container = single(trainer);
        Quantity gpus = container.getResources().getLimits().get("nvidia.com/gpu");
        assertNotNull(gpus, "trainer must limit nvidia.com/gpu");
        assertEquals("1", gpus.getAmount());
        // The NVIDIA device plugin alone advertises nvidia.com/gpu but sets no node label: a selector on a label of
        // GPU feature discovery (nvidia.com/gpu.present) would keep the pods Pending on such clusters.
        assertTrue(
                pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty(),
                "the nvidia.com/gpu limit alone schedules onto GPU nodes; no node selector: " + pod.getNodeSelector());
        assertNull(pod.getAffinity(), "no node affinity either");
        assertEquals("gpu", envValue(trainer, container, "TLAB_TRAINER_DEVICE"), "a pod that holds a GPU uses it");
        assertTrue(
                pod.getTolerations().stream()
                        .anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())),
                "toleration for the nvidia.com/gpu taint");
        assertNull(trainer.getSpec().getReplicas(), "KEDA owns the trainer's replica count");
        assertEquals(
                0,
                trainer.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal(),
                "a rollout must not ask for extra GPUs");

        for (String key :
                List.of("TLAB_TRAINER_CHECKPOINT_DIR", "TLAB_TRAINER_MODEL_CACHE", "TLAB_TRAINER_DEFAULT_MODEL")) {
            String volume = assertMountedUnder(container, envValue(trainer, container, key), key);
            String claim = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(volume))
                    .findFirst()
                    .map(v -> v.getPersistentVolumeClaim() == null
                            ? null
                            : v.getPersistentVolumeClaim().getClaimName())
                    .orElse(null);
            assertNotNull(claim, key + " must live on a PersistentVolumeClaim");
            // Several trainer pods share checkpoints (a redelivered job resumes on another pod) and models.
            assertTrue(
                    manifests
                            .named(PersistentVolumeClaim.class, claim)
                            .getSpec()
                            .getAccessModes()
                            .contains("ReadWriteMany"),
                    claim + " must be ReadWriteMany");
        }
        assertEquals("true", envValue(trainer, container, "DJL_OFFLINE"));
    }

    @Test
    void envVarsOfTheServicesMatchTheirConfigKeys() {
        // Where a service already has its application.properties, every TLAB_* variable the manifests give it must
        // be the env-var form of a property that the service's sources mention.
        for (String name : SERVICES.keySet()) {
            if (!java.nio.file.Files.isRegularFile(ServiceConfig.applicationProperties(name))) {
                continue;
            }
            String sources = DeployFiles.textUnder(
                    DeployFiles.repoRoot().resolve(name).resolve("src/main"), ".properties", ".java");
            Deployment deployment = manifests.named(Deployment.class, name);
            Set<String> envFormsOfKeys = ServiceConfig.envFormsOfConfigKeys(sources);
            for (String env : envNames(deployment)) {
                if (env.startsWith("TLAB_")) {
                    assertTrue(
                            envFormsOfKeys.contains(env),
                            name + ": " + env + " is the env form of no tlab.* key" + " that " + name
                                    + "/src/main mentions (rename one of them)");
                }
            }
        }
    }

    @Test
    void strimziKafkaIsKraftWithNodePoolsAndTheConfigMapPointsAtItsBootstrap() {
        GenericKubernetesResource kafka = manifests.single("Kafka");
        String cluster = kafka.getMetadata().getName();
        // KRaft and node pools are all Strimzi 1.x does; its old opt-in annotations are ignored (SchemaCheck fails
        // them).
        Map<String, Object> spec = map(kafka.getAdditionalProperties().get("spec"));
        assertNull(spec.get("zookeeper"), "KRaft only");
        Map<String, Object> kafkaSpec = map(spec.get("kafka"));
        assertTrue(String.valueOf(kafkaSpec.get("version")).startsWith("4."), "Kafka 4 (KRaft) like the 4.1 clients");
        Map<String, Object> plain = list(kafkaSpec.get("listeners")).stream()
                .map(KubernetesManifestsTest::map)
                .filter(l -> "internal".equals(l.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no internal listener"));
        assertNotNull(map(spec.get("entityOperator")).get("topicOperator"), "the topic operator manages KafkaTopics");
        assertNotNull(map(spec.get("entityOperator")).get("userOperator"), "the user operator manages KafkaUsers");

        List<GenericKubernetesResource> pools = manifests.custom("KafkaNodePool");
        assertFalse(pools.isEmpty());
        Set<String> roles = new HashSet<>();
        for (GenericKubernetesResource pool : pools) {
            assertEquals(cluster, pool.getMetadata().getLabels().get("strimzi.io/cluster"));
            Map<String, Object> poolSpec = map(pool.getAdditionalProperties().get("spec"));
            list(poolSpec.get("roles")).forEach(r -> roles.add((String) r));
            assertTrue(((Number) poolSpec.get("replicas")).intValue() >= 3, "three nodes for replicas 3");
        }
        assertEquals(Set.of("controller", "broker"), roles);

        String bootstrap = cluster + "-kafka-bootstrap:" + plain.get("port");
        ConfigMap config = manifests.named(ConfigMap.class, "tlab-config");
        assertEquals(bootstrap, config.getData().get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void serviceMonitorScrapesTheThreeServicesOnQMetrics() {
        GenericKubernetesResource monitor = customNamed("ServiceMonitor", "tlab-services");
        Map<String, Object> spec = map(monitor.getAdditionalProperties().get("spec"));
        Map<String, Object> matchLabels = map(map(spec.get("selector")).get("matchLabels"));
        Set<String> selected = manifests.of(Service.class).stream()
                .filter(s -> matches(stringMap(matchLabels), s.getMetadata().getLabels()))
                .map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(SERVICES.keySet(), selected);
        List<Object> endpoints = list(spec.get("endpoints"));
        assertFalse(endpoints.isEmpty());
        for (Object e : endpoints) {
            Map<String, Object> endpoint = map(e);
            assertTrue(
                    Set.of(
                                    "port",
                                    "path",
                                    "interval",
                                    "scrapeTimeout",
                                    "scheme",
                                    "honorLabels",
                                    "relabelings",
                                    "metricRelabelings")
                            .containsAll(endpoint.keySet()),
                    "unknown endpoint fields " + endpoint.keySet());
            assertEquals("/q/metrics", endpoint.get("path"));
            for (String name : selected) {
                assertTrue(
                        manifests.named(Service.class, name).getSpec().getPorts().stream()
                                .anyMatch(p -> endpoint.get("port").equals(p.getName())),
                        name + " has no port " + endpoint.get("port"));
            }
        }
    }

    /**
     * The dashboard's GPU panels read NVIDIA's DCGM exporter as the GPU Operator runs it (Service label
     * app=nvidia-dcgm-exporter, port gpu-metrics, namespace gpu-operator), keeping the exporter's pod, namespace and
     * container labels (honorLabels) by which the panels pick the trainer's container.
     */
    @Test
    void gpuMetricsComeFromTheDcgmExporterLabelledWithTheTrainersPods() {
        GenericKubernetesResource monitor = customNamed("ServiceMonitor", "tlab-gpu-metrics");
        Map<String, Object> spec = map(monitor.getAdditionalProperties().get("spec"));
        assertEquals(List.of("gpu-operator"), map(spec.get("namespaceSelector")).get("matchNames"));
        assertEquals(
                Map.of("app", "nvidia-dcgm-exporter"),
                map(map(spec.get("selector")).get("matchLabels")));
        Map<String, Object> endpoint = map(list(spec.get("endpoints")).get(0));
        assertEquals("gpu-metrics", endpoint.get("port"));
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), "the exporter's pod label, not exported_pod");

        String trainerContainer =
                single(manifests.named(Deployment.class, "trainer-service")).getName();
        List<String> gpuExprs = DashboardMetrics.expressions(DashboardMetrics.dashboard()).stream()
                .filter(e -> DashboardMetrics.metricsIn(e).stream()
                        .anyMatch(m -> DashboardMetrics.owner(m).equals(DashboardMetrics.DCGM_EXPORTER)))
                .toList();
        assertEquals(2, gpuExprs.size(), "GPU utilisation and memory: " + gpuExprs);
        for (String expr : gpuExprs) {
            assertTrue(expr.contains("container=\"" + trainerContainer + "\""), expr);
            assertTrue(expr.contains("by (pod)"), "one series per trainer pod: " + expr);
        }
    }

    @Test
    void aMisspelledFieldIsCaughtNotSilentlyKept() throws Exception {
        String yaml =
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n"
                        + "  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n"
                        + "        - name: x\n          image: x\n          readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}\n";
        var doc = DeployFiles.YAML.readTree(yaml);
        AssertionError error =
                org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Manifests.toResource(doc));
        assertTrue(error.getMessage().contains("readinesProbe"), error.getMessage());
    }

    // ---- helpers

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static GenericKubernetesResource customNamed(String kind, String name) {
        return manifests.custom(kind).stream()
                .filter(m -> m.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new java.util.ArrayList<>(a == null ? List.of() : a);
        all.addAll(b == null ? List.of() : b);
        return all;
    }

    static Container single(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), deployment.getMetadata().getName() + " containers");
        return containers.get(0);
    }

    static ContainerPort containerPort(Container container, String name, Integer number) {
        return container.getPorts().stream()
                .filter(p -> name != null ? name.equals(p.getName()) : Objects.equals(number, p.getContainerPort()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
    }

    static void assertProbe(Probe probe, String path, Container container, String what) {
        assertNotNull(probe, what + " probe missing");
        assertNotNull(probe.getHttpGet(), what + " must be an HTTP probe");
        assertEquals(path, probe.getHttpGet().getPath(), what);
        var port = probe.getHttpGet().getPort();
        containerPort(container, port.getStrVal(), port.getIntVal());
    }

    /** The value of an env var, directly or from a ConfigMap the container imports with envFrom. */
    String envValue(Deployment deployment, Container container, String name) {
        Optional<EnvVar> direct = container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst();
        if (direct.isPresent()) {
            return direct.get().getValue();
        }
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                String value = manifests
                        .named(ConfigMap.class, from.getConfigMapRef().getName())
                        .getData()
                        .get(name);
                if (value != null) {
                    return value;
                }
            }
        }
        fail(deployment.getMetadata().getName() + " has no env " + name);
        return null;
    }

    Set<String> envNames(Deployment deployment) {
        Set<String> names = new HashSet<>();
        for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
            container.getEnv().forEach(e -> names.add(e.getName()));
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    names.addAll(manifests
                            .named(ConfigMap.class, from.getConfigMapRef().getName())
                            .getData()
                            .keySet());
                }
            }
        }
        if (!deployment.getMetadata().getName().equals("dataset-service")) {
            names.removeIf(
                    n -> n.startsWith("TLAB_DATASET_")); // shared ConfigMap entries meant for the dataset service
        }
        return names;
    }

    /** Returns the name of the volume whose mount holds the given path. */
    static String assertMountedUnder(Container container, String path, String what) {
        assertNotNull(path, what);
        return container.getVolumeMounts().stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .map(VolumeMount::getName)
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + " " + path + " is not on a mounted volume"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a list, got " + o);
        return (List<Object>) o;
    }

    static Map<String, String> stringMap(Map<String, Object> m) {
        return m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
