package dev.tlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** `kubectl kustomize`: what `kubectl apply -k` would send to the cluster, rendered offline. */
final class Kustomize {

    private static List<JsonNode> base;

    private Kustomize() {}

    /** The rendered base deploy/k8s (rendered once per test JVM; callers must not change the nodes). */
    static synchronized List<JsonNode> base() {
        if (base == null) {
            base = List.copyOf(render(DeployFiles.k8sDir()));
        }
        return base;
    }

    /** Renders a kustomization folder; a kustomization kubectl refuses fails with kubectl's own message. */
    static List<JsonNode> render(Path kustomizationDir) {
        Tools.Outcome outcome = Tools.run(
                List.of("kubectl", "kustomize", kustomizationDir.toString()),
                DeployFiles.deployDir(),
                null,
                Duration.ofMinutes(2),
                "kubectl (with its built-in kustomize) is needed to render deploy/k8s");
        if (!outcome.ok()) {
            throw new AssertionError("kubectl kustomize " + kustomizationDir + " failed: " + outcome.describe());
        }
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                DeployFiles.YAML.readerFor(JsonNode.class).readValues(outcome.stdout())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize printed something that is not YAML", e);
        }
        return docs;
    }
}
