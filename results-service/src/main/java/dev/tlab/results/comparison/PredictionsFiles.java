package dev.tlab.results.comparison;

import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the per-image predictions files that trainers keep next to their models, from the model store the service was
 * given ({@code tlab.results.model-store}) and nowhere else: a run's file is {@code <store>/<experimentId>/<jobId>
 * .predictions}, named by the aggregate's ids (never by a path from a message), and a file whose real location is
 * outside the store (a link) is refused. Each file's sha256 is checked against the one its trainer reported before it
 * is used, and the file's own checks ({@link PredictionsFile#read}) apply.
 *
 * <p>A file that passed is kept decoded (at most {@value #CACHED} of them) while its size and modification time stay
 * the same, so that an experiment whose view changes on every epoch does not read its files again each time; a file
 * that changed is read and checked again.
 */
public final class PredictionsFiles {
    static final int CACHED = 256;
    static final String SUFFIX = ".predictions";
    /** The answer for a file that passed every check. */
    public static final String CHECKED = "checked";

    private final Optional<Path> store;
    private final Map<Path, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Cached> eldest) {
            return size() > CACHED;
        }
    };

    private record Cached(String sha256, long size, long modified, Predictions predictions) {}

    /** A run's predictions, or why there are none to use ({@code status}). */
    public record Read(Predictions predictions, String status) {
        static Read refused(String why) {
            return new Read(null, why);
        }

        public boolean usable() {
            return predictions != null;
        }
    }

    public PredictionsFiles(Optional<Path> store) {
        this.store = store;
    }

    /** The predictions of job {@code jobId} of the experiment, as its trainer reported them in {@code artifact}. */
    public synchronized Read read(UUID experimentId, UUID jobId, PredictionsArtifact artifact) {
        if (artifact == null) {
            return Read.refused("none kept (the trainer keeps no models)");
        }
        if (store.isEmpty()) {
            return Read.refused("not read: this results service has no model store (set tlab.results.model-store to"
                    + " the trainers' tlab.trainer.model-store folder)");
        }
        Path root = store.get();
        Path file = root.resolve(experimentId.toString()).resolve(jobId + SUFFIX);
        try {
            if (!Files.isRegularFile(file)) {
                return Read.refused("missing: " + file + " is not in the model store (removed after"
                        + " tlab.trainer.model-retention, or the store is not the trainers' one)");
            }
            if (!file.toRealPath().startsWith(root.toRealPath())) {
                return Read.refused("refused: " + file + " leads outside the model store " + root);
            }
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long size = attributes.size();
            long modified = attributes.lastModifiedTime().toMillis();
            Cached cached = cache.get(file);
            if (cached != null
                    && cached.sha256().equals(artifact.sha256())
                    && cached.size() == size
                    && cached.modified() == modified) {
                return new Read(cached.predictions(), CHECKED);
            }
            if (size > PredictionsFile.MAX_FILE_BYTES) {
                return Read.refused("refused: " + size + " bytes is more than a predictions file can be");
            }
            // the bytes that are hashed are the bytes that are decoded
            byte[] bytes = Files.readAllBytes(file);
            String sha256 = Checksums.sha256Hex(bytes);
            if (!sha256.equals(artifact.sha256())) {
                return Read.refused("damaged: " + file.getFileName() + " has sha256 " + sha256
                        + " but its trainer reported " + artifact.sha256() + "; it was changed after it was written");
            }
            Predictions predictions = PredictionsFile.decode(bytes);
            cache.put(file, new Cached(sha256, size, modified, predictions));
            return new Read(predictions, CHECKED);
        } catch (IllegalArgumentException e) {
            return Read.refused("damaged: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Read.refused("not readable: " + e.getMessage());
        }
    }
}
