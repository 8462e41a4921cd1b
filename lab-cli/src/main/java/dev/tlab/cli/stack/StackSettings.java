package dev.tlab.cli.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the local stack lives and how its services are configured. The property names are the services' own (documented
 * in each service's application.properties); they are passed as system properties.
 *
 * @param root the repository checkout (service jars under {@code <service>/target/quarkus-app/})
 * @param workDir broker data, datasets, checkpoints, logs and generated secrets ({@code .lab} by default)
 * @param bindAddress where the broker's client listener and the services' HTTP ports listen: {@link #LOOPBACK} unless
 *     asked otherwise ({@code 0.0.0.0} opens them to the network)
 * @param trainers how many trainer processes (each takes one job at a time)
 */
public record StackSettings(
        Path root,
        Path workDir,
        String bindAddress,
        int kafkaPort,
        int datasetPort,
        int resultsPort,
        int trainerPort,
        int trainers,
        Map<String, String> datasetConfig,
        Map<String, String> trainerConfig,
        Map<String, String> resultsConfig) {
    public static final String LOOPBACK = "127.0.0.1";

    public StackSettings {
        root = root.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        bindAddress = bindAddress.strip();
        datasetConfig = Map.copyOf(datasetConfig);
        trainerConfig = Map.copyOf(trainerConfig);
        resultsConfig = Map.copyOf(resultsConfig);
    }

    /** The small model committed for offline demos and tests: ResNet-18's layout and names, narrow, random weights. */
    public Path demoModel() {
        return root.resolve("models/resnet18-narrow.pt");
    }

    public Path jar(String service) {
        return root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The address this machine reaches the services at: loopback when they listen on every interface. */
    public String host() {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? LOOPBACK : bindAddress;
    }

    public String datasetUrl() {
        return "http://" + host() + ":" + datasetPort;
    }

    public String resultsUrl() {
        return "http://" + host() + ":" + resultsPort;
    }

    /** Every service: where it listens and where Kafka is. */
    private Map<String, String> common(String bootstrap) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", bindAddress);
        config.put("kafka.bootstrap.servers", bootstrap);
        return config;
    }

    Map<String, String> datasetProperties(String bootstrap) {
        Map<String, String> config = common(bootstrap);
        config.put("tlab.dataset.data-dir", workDir.resolve("data").toString());
        config.put("tlab.dataset.public-url", datasetUrl());
        config.put("tlab.dataset.results-url", resultsUrl());
        // the first trainer checks each request's model and strategies before any job is published
        config.put("tlab.dataset.planner-url", "http://127.0.0.1:" + trainerPort);
        config.putAll(datasetConfig);
        return config;
    }

    Map<String, String> trainerProperties(String bootstrap, int index) {
        Map<String, String> config = common(bootstrap);
        config.put("tlab.trainer.checkpoint-dir", workDir.resolve("checkpoints").toString());
        config.put("tlab.trainer.model-cache", workDir.resolve("models").toString());
        config.put("tlab.trainer.model-roots", modelRoots(root, workDir));
        config.put("tlab.trainer.data-cache", workDir.resolve("trainer-data").toString());
        config.put("tlab.trainer.default-model", demoModel().toString());
        config.put("tlab.trainer.model-store", modelStore().toString());
        config.put("tlab.trainer.instance", "trainer-" + index);
        // the one origin the trainers send requests and their reader token to: this stack's dataset service
        config.put("tlab.trainer.dataset-url", datasetUrl());
        config.putAll(trainerConfig);
        return config;
    }

    /**
     * The folders trainers may load models and weights from ({@code tlab.trainer.model-roots}): the repository's
     * {@code models/} (the demo model, the notebook's weights), the trainers' model cache, and {@code more} (the
     * folders of files a request names).
     */
    public static String modelRoots(Path root, Path workDir, Path... more) {
        Set<Path> roots = new LinkedHashSet<>(List.of(
                root.toAbsolutePath().normalize().resolve("models"),
                workDir.toAbsolutePath().normalize().resolve("models")));
        for (Path p : more) {
            roots.add(p.toAbsolutePath().normalize());
        }
        return String.join(",", roots.stream().map(Path::toString).toList());
    }

    /** The fine-tuned models: trainers write them, the results service offers them (./lab model downloads them). */
    public Path modelStore() {
        return workDir.resolve("model-store");
    }

    Map<String, String> resultsProperties(String bootstrap) {
        Map<String, String> config = common(bootstrap);
        config.put("tlab.results.model-store", modelStore().toString());
        config.putAll(resultsConfig);
        return config;
    }
}
