package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kustomization.yaml lists every manifest and nothing else; the dashboard ConfigMap is generated right. */
class KustomizationTest {

    @Test
    void kustomizationListsEveryFileAndNothingMissing() {
        JsonNode kustomization = DeployFiles.yamlDocuments(DeployFiles.k8sDir().resolve("kustomization.yaml"))
                .get(0);
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        assertEquals(resources.size(), new HashSet<>(resources).size(), "a resource is listed twice");
        for (String resource : resources) {
            Path path = DeployFiles.k8sDir().resolve(resource).normalize();
            assertTrue(
                    Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml")),
                    "listed but missing: " + resource);
        }
        Set<String> files = DeployFiles.k8sManifestFiles().stream()
                .map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        Set<String> listedFiles =
                resources.stream().filter(r -> !r.contains("/")).collect(Collectors.toSet());
        assertEquals(files, listedFiles, "every manifest in deploy/k8s must be listed, and only those");
        assertTrue(resources.contains("../grafana"), "the dashboard ConfigMap kustomization");

        Manifests manifests = Manifests.load();
        assertEquals(1, manifests.of(Namespace.class).size());
        assertEquals(
                manifests.of(Namespace.class).get(0).getMetadata().getName(),
                kustomization.path("namespace").asText());

        Set<String> images = manifests.of(Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .map(c -> c.getImage().replaceFirst(":[^:/]+$", ""))
                .collect(Collectors.toSet());
        Set<String> overridden = new HashSet<>();
        kustomization.path("images").forEach(i -> overridden.add(i.path("name").asText()));
        assertEquals(images, overridden, "kustomization images: one entry per Deployment image");
    }

    @Test
    void dashboardConfigMapIsGeneratedFromTheOneDashboardFile() {
        Path grafana = DeployFiles.deployDir().resolve("grafana");
        JsonNode kustomization =
                DeployFiles.yamlDocuments(grafana.resolve("kustomization.yaml")).get(0);
        JsonNode generators = kustomization.path("configMapGenerator");
        assertEquals(1, generators.size());
        JsonNode generator = generators.get(0);
        List<String> files = new ArrayList<>();
        generator.path("files").forEach(f -> files.add(f.asText()));
        assertEquals(List.of("tlab-dashboard.json"), files);
        assertTrue(Files.isRegularFile(grafana.resolve("tlab-dashboard.json")));
        assertEquals(
                "1",
                generator
                        .path("options")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText());
        assertTrue(
                generator
                        .path("options")
                        .path("labels")
                        .path("grafana_dashboard")
                        .isTextual(),
                "label values must be strings");
        assertFalse(kustomization.has("resources")
                && kustomization.path("resources").size() > 0);
    }
}
