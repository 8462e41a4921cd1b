package dev.tlab.trainer.store;

import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import dev.tlab.trainer.engine.model.ModelFileResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The fine-tuned models of completed jobs, {@code <root>/<experimentId>/<jobId>.pt} (TorchScript, as the checkpoint
 * wrote it) with a {@code .sha256} file beside it in {@code sha256sum} format, and the per-image predictions of each
 * job's final evaluation, {@code <jobId>.predictions} (its digest travels in JobCompleted). The root is on the
 * trainers' shared models volume, which the results service mounts read-only to offer the files: no copy of 45 MB per
 * job travels through Kafka or HTTP between services. Files are written with {@link AtomicFiles} (aside, then renamed),
 * so a reader never sees half a model. Experiments whose newest file is older than the retention are removed.
 */
public final class ModelStore {
    private static final Logger LOG = Logger.getLogger(ModelStore.class);

    /** The predictions file of job J is {@code <experimentId>/J.predictions}. */
    public static final String PREDICTIONS_SUFFIX = ".predictions";

    private final Path root;
    private final Duration retention;

    public ModelStore(Path root, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("tlab.trainer.model-retention must be positive, was " + retention);
        }
        this.root = root;
        this.retention = retention;
    }

    public Path root() {
        return root;
    }

    /** Copies the job's final model into the store and returns where it lies and its digest. */
    public ModelArtifact keep(UUID experimentId, UUID jobId, Path modelFile) {
        String relative = experimentId + "/" + jobId + ".pt";
        Path target = root.resolve(relative);
        try {
            // the digest file first: a reader that sees the model also sees the digest it must have
            String sha256 = ModelFileResolver.fileSha256(modelFile);
            AtomicFiles.writeString(target.resolveSibling(jobId + ".pt.sha256"), sha256 + "  " + jobId + ".pt\n");
            AtomicFiles.write(target, out -> Files.copy(modelFile, out));
            return new ModelArtifact(relative, sha256, Files.size(target));
        } catch (IOException e) {
            throw cannotKeep(jobId, e);
        } catch (UncheckedIOException e) {
            throw cannotKeep(jobId, e.getCause());
        }
    }

    /**
     * Writes the job's per-image predictions next to its model ({@code <experimentId>/<jobId>.predictions}, data-files'
     * {@link PredictionsFile}, atomically) and returns where they lie and their digest.
     */
    public PredictionsArtifact keepPredictions(UUID experimentId, UUID jobId, Predictions predictions) {
        String relative = experimentId + "/" + jobId + PREDICTIONS_SUFFIX;
        Path target = root.resolve(relative);
        try {
            String sha256 = PredictionsFile.write(target, predictions);
            return new PredictionsArtifact(relative, sha256, Files.size(target), (long) predictions.size());
        } catch (IOException e) {
            throw cannotKeep(jobId, e);
        } catch (UncheckedIOException e) {
            throw cannotKeep(jobId, e.getCause());
        }
    }

    private UncheckedIOException cannotKeep(UUID jobId, IOException cause) {
        return new UncheckedIOException(
                "cannot keep the model of job " + jobId + " in " + root + " (tlab.trainer.model-store)", cause);
    }

    /** Removes the experiments whose newest model is older than the retention; returns their ids. */
    public synchronized List<String> removeExpired(Instant now) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        Instant cutoff = now.minus(retention);
        try (DirectoryStream<Path> experiments = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path experiment : experiments) {
                if (newest(experiment).isBefore(cutoff)) {
                    deleteTree(experiment);
                    removed.add(experiment.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep the model store " + root, e);
        }
        if (!removed.isEmpty()) {
            LOG.infof(
                    "removed the models of %d experiment(s) kept longer than %s: %s",
                    removed.size(), retention, removed);
        }
        return removed;
    }

    private static Instant newest(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(ModelStore::modified)
                    .max(Comparator.naturalOrder())
                    .orElse(Instant.EPOCH);
        }
    }

    private static Instant modified(Path file) {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            return t.toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
