package dev.tlab.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The published upstream schemas: deploy/schema-check is a small npm project whose packages are pinned to exact
 * versions (package.json, package-lock.json); its check.mjs validates documents with them and with the Strimzi facts
 * (strimzi-1.2.0.json). node_modules is never committed: {@code ./lab test} installs it, and so does the first check of
 * a test run when it is missing or does not hold the pinned versions (a clean clone, or after a version change).
 */
final class SchemaCheck {

    /** One checked document: which schema judged it, and what it found wrong (empty = valid). */
    record Result(int index, String apiVersion, String kind, String name, String schema, List<String> errors) {
        String id() {
            return kind + "/" + name;
        }
    }

    private static boolean installed;

    private SchemaCheck() {}

    static Path dir() {
        return DeployFiles.deployDir().resolve("schema-check");
    }

    /** Validates Kubernetes documents (apiVersion/kind pick the schema). */
    static List<Result> kubernetes(List<JsonNode> documents) {
        ObjectNode input = DeployFiles.JSON.createObjectNode().put("mode", "kubernetes");
        input.putArray("documents").addAll(documents);
        return run(input);
    }

    /** Validates a docker-compose file (as parsed YAML) against the Compose Specification's schema. */
    static Result compose(JsonNode document) {
        ObjectNode input = DeployFiles.JSON.createObjectNode().put("mode", "compose");
        input.set("document", document);
        return run(input).get(0);
    }

    /**
     * Parses and lints Dockerfiles with the Docker language server's parser and linter (dockerfile-ast,
     * dockerfile-utils): their build stages and instructions, and what the linter finds wrong.
     */
    static List<Dockerfiles.Parsed> dockerfiles(Map<String, String> textByName) {
        ObjectNode input = DeployFiles.JSON.createObjectNode().put("mode", "dockerfile");
        var files = input.putArray("files");
        textByName.forEach((name, text) -> files.addObject().put("path", name).put("text", text));
        return run(input, new TypeReference<List<Dockerfiles.Parsed>>() {});
    }

    private static List<Result> run(JsonNode input) {
        return run(input, new TypeReference<List<Result>>() {});
    }

    private static <T> T run(JsonNode input, TypeReference<T> report) {
        ensureInstalled();
        Tools.Outcome outcome = Tools.run(
                List.of("node", "check.mjs"),
                dir(),
                input.toString(),
                Duration.ofMinutes(2),
                "Node.js is needed for the schema checks");
        if (!outcome.ok()) {
            throw new AssertionError("deploy/schema-check/check.mjs failed: " + outcome.describe());
        }
        try {
            return DeployFiles.JSON.readValue(outcome.stdout(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable report from check.mjs: " + outcome.stdout(), e);
        }
    }

    /** Runs `npm ci` unless node_modules already holds exactly the versions package.json pins. */
    static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        if (!pinnedVersionsInstalled()) {
            Tools.Outcome outcome = Tools.run(
                    List.of("npm", "ci", "--no-audit", "--no-fund"),
                    dir(),
                    null,
                    Duration.ofMinutes(5),
                    "Node.js and npm are needed for the schema checks");
            if (!outcome.ok()) {
                throw new AssertionError(
                        "npm ci in deploy/schema-check failed (is the npm registry reachable?): " + outcome.describe());
            }
            if (!pinnedVersionsInstalled()) {
                throw new AssertionError(
                        "npm ci did not install the versions pinned in deploy/schema-check/package.json");
            }
        }
        installed = true;
    }

    private static boolean pinnedVersionsInstalled() {
        try {
            JsonNode dependencies = DeployFiles.JSON
                    .readTree(dir().resolve("package.json").toFile())
                    .path("dependencies");
            for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> dependency = it.next();
                Path manifest = dir().resolve("node_modules")
                        .resolve(dependency.getKey())
                        .resolve("package.json");
                if (!Files.isRegularFile(manifest)
                        || !dependency
                                .getValue()
                                .asText()
                                .equals(DeployFiles.JSON
                                        .readTree(manifest.toFile())
                                        .path("version")
                                        .asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
