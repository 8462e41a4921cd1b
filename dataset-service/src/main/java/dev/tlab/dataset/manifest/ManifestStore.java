package dev.tlab.dataset.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.datafiles.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every manifest built, in memory and on disk ({@code <dir>/<manifestId>.json}: the manifest plus the folder its
 * records are read from), so that a restarted service still serves them.
 */
public final class ManifestStore {
    private static final Logger LOG = Logger.getLogger(ManifestStore.class);

    /** A manifest and the dataset folder it was built from. */
    public record Stored(DatasetManifest manifest, Path sourceFolder) {}

    private final Path dir;
    private final Map<String, Stored> manifests = new ConcurrentHashMap<>();

    public ManifestStore(Path dir) {
        this.dir = dir;
        load();
    }

    public Optional<Stored> get(String manifestId) {
        return Optional.ofNullable(manifests.get(manifestId));
    }

    public Collection<Stored> all() {
        return manifests.values();
    }

    public void put(DatasetManifest manifest, Path sourceFolder) {
        ObjectNode node = EventCodec.mapper().createObjectNode();
        node.put("sourceFolder", sourceFolder.toAbsolutePath().toString());
        node.set("manifest", EventCodec.mapper().valueToTree(manifest));
        String json;
        try {
            json = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write manifest " + manifest.manifestId() + " as JSON", e);
        }
        AtomicFiles.writeString(dir.resolve(manifest.manifestId() + ".json"), json);
        manifests.put(manifest.manifestId(), new Stored(manifest, sourceFolder.toAbsolutePath()));
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    JsonNode node = EventCodec.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
                    DatasetManifest manifest =
                            EventCodec.fromJson(node.get("manifest").toString(), DatasetManifest.class);
                    manifests.put(
                            manifest.manifestId(),
                            new Stored(
                                    manifest, Path.of(node.get("sourceFolder").asText())));
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("ignoring unreadable stored manifest %s: %s", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        LOG.infof("loaded %d stored manifests from %s", manifests.size(), dir);
    }
}
