package dev.tlab.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lab's Dockerfiles as the Docker language server's parser reads them ({@link SchemaCheck#dockerfiles}): build
 * stages with their FROM, and instructions with their arguments and flags.
 */
final class Dockerfiles {

    /** Repository-relative paths of every Dockerfile of the lab. */
    static final List<String> ALL = List.of(
            "dataset-service/src/main/docker/Dockerfile.jvm",
            "results-service/src/main/docker/Dockerfile.jvm",
            "trainer-service/src/main/docker/Dockerfile.jvm",
            "trainer-service/src/main/docker/Dockerfile.cuda");

    static final String CUDA = "trainer-service/src/main/docker/Dockerfile.cuda";

    private static Map<String, Parsed> parsed;

    private Dockerfiles() {}

    /** One Dockerfile: what the linter found wrong, and its stages (the first is what precedes the first FROM). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Parsed(String name, String schema, List<String> errors, List<Stage> stages) {

        /** The stage named {@code name} ({@code AS name}). */
        Stage stage(String name) {
            return stages.stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(this.name + " has no stage " + name));
        }

        /** The stage the image is made of: the last one. */
        Stage runtime() {
            return stages.get(stages.size() - 1);
        }

        /** The stages after the global ARGs. */
        List<Stage> built() {
            return stages.subList(1, stages.size());
        }

        Set<String> stageNames() {
            return built().stream().map(Stage::name).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
        }

        /** The default of a global ARG (declared before the first FROM). */
        Optional<String> globalArg(String name) {
            return stages.get(0).instructions().stream()
                    .filter(i -> i.keyword().equals("ARG") && i.properties().get(name) != null)
                    .map(i -> i.properties().get(name))
                    .findFirst();
        }

        /** The stage a stage builds on, when its FROM names an earlier stage. */
        Optional<Stage> parent(Stage stage) {
            return built().stream()
                    .filter(s -> !s.name().isEmpty() && s.name().equals(stage.imageName()) && stage.tag() == null)
                    .findFirst();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stage(
            String name,
            String from,
            String image,
            String imageName,
            String tag,
            String digest,
            List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .toList();
        }

        /** Every RUN's text, joined: what the stage's shell commands do. */
        String runs() {
            return all("RUN").stream().map(Instruction::text).collect(Collectors.joining("\n"));
        }

        /** COPY and ADD instructions that read the build context (no --from). */
        List<Instruction> contextCopies() {
            return instructions.stream()
                    .filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD"))
                    .filter(i -> !i.flags().containsKey("from"))
                    .toList();
        }

        /** The value of an ENV of this stage (the first that sets it, quotes removed), or empty. */
        Optional<String> env(String name) {
            return all("ENV").stream()
                    .filter(i -> i.properties().containsKey(name))
                    .map(i -> i.properties().get(name))
                    .findFirst();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Instruction(
            String keyword,
            List<String> args,
            Map<String, String> flags,
            Map<String, String> properties,
            String text,
            int line) {

        /** A COPY's or ADD's sources (every argument but the last; flags are not arguments). */
        List<String> sources() {
            return args.subList(0, args.size() - 1);
        }
    }

    /** Every Dockerfile of the lab, parsed once per test JVM, by repository-relative path. */
    static synchronized Map<String, Parsed> all() {
        if (parsed == null) {
            Map<String, String> texts = new LinkedHashMap<>();
            for (String path : ALL) {
                texts.put(path, DeployFiles.read(DeployFiles.repoRoot().resolve(path)));
            }
            parsed = parse(texts);
        }
        return parsed;
    }

    static Parsed of(String path) {
        Parsed file = all().get(path);
        if (file == null) {
            throw new AssertionError("not a Dockerfile of the lab: " + path);
        }
        return file;
    }

    static Map<String, Parsed> parse(Map<String, String> textByName) {
        Map<String, Parsed> out = new LinkedHashMap<>();
        for (Parsed file : SchemaCheck.dockerfiles(textByName)) {
            out.put(file.name(), file);
        }
        return out;
    }

    static Path path(String relative) {
        return DeployFiles.repoRoot().resolve(relative);
    }
}
