package dev.tlab.trainer.engine.checkpoint;

import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Folders;
import dev.tlab.trainer.engine.EpochMetrics;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of one job under {@code root/<jobId>/epoch-NNNN/}. A checkpoint is written into a temporary folder and
 * renamed into place in one step, so a trainer killed while writing leaves either the previous checkpoint or the new
 * one, never half of one. Older checkpoints are removed afterwards, except the one a job asks to keep (the best
 * validation epoch of a job that selects its epoch, which it is tested on at the end, also after a resume).
 */
public final class CheckpointStore {

    static final String MODEL_FILE = "model.pt";
    static final String OPTIMIZER_FILE = "optimizer.ndlist";
    static final String STATE_FILE = "state.properties";
    /** In a job's folder once the job finished; holds the instant it finished. */
    static final String FINISHED_FILE = "finished";

    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d{4,})");

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root;
    }

    public Path jobFolder(String jobId) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9._-]{1,200}") || jobId.startsWith(".")) {
            throw new IllegalArgumentException("job id '" + jobId + "' cannot name a checkpoint folder"
                    + " (letters, digits, '.', '_', '-' only)");
        }
        return root.resolve(jobId);
    }

    /** The newest complete checkpoint of the job, if any. */
    public Optional<Checkpoint> latest(String jobId) {
        Path job = jobFolder(jobId);
        if (!Files.isDirectory(job)) {
            return Optional.empty();
        }
        return epochFolders(job)
                .max(Comparator.comparingInt(CheckpointStore::epochOf))
                .map(this::read);
    }

    /** The complete checkpoint of the job after {@code epoch} epochs, if it is still there. */
    public Optional<Checkpoint> epoch(String jobId, int epoch) {
        Path job = jobFolder(jobId);
        if (!Files.isDirectory(job)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = epochFolders(job)) {
            return folders.filter(d -> epochOf(d) == epoch).findFirst().map(this::read);
        }
    }

    public Checkpoint save(
            String jobId,
            int completedEpoch,
            long seed,
            String strategy,
            List<EpochMetrics> history,
            AtomicFiles.Content model,
            AtomicFiles.Content optimizer) {
        return save(jobId, completedEpoch, seed, strategy, null, history, model, optimizer);
    }

    /**
     * @param classes the outputs of the model's classifier, recorded so that a resume can check them (null: unknown)
     */
    public Checkpoint save(
            String jobId,
            int completedEpoch,
            long seed,
            String strategy,
            Integer classes,
            List<EpochMetrics> history,
            AtomicFiles.Content model,
            AtomicFiles.Content optimizer) {
        return save(jobId, completedEpoch, seed, strategy, classes, history, model, optimizer, 0);
    }

    /** @param keepEpoch an older epoch whose checkpoint stays (0: none), e.g. the best validation epoch so far */
    public Checkpoint save(
            String jobId,
            int completedEpoch,
            long seed,
            String strategy,
            Integer classes,
            List<EpochMetrics> history,
            AtomicFiles.Content model,
            AtomicFiles.Content optimizer,
            int keepEpoch) {
        Path job = jobFolder(jobId);
        Path target = job.resolve(String.format("epoch-%04d", completedEpoch));
        try {
            Files.createDirectories(job);
            // the folder is written aside (a name epochFolders never matches), each file forced to disk, then renamed
            Path tmp = Files.createTempDirectory(job, ".writing-");
            try {
                AtomicFiles.write(tmp.resolve(MODEL_FILE), model);
                AtomicFiles.write(tmp.resolve(OPTIMIZER_FILE), optimizer);
                Properties p = new Properties();
                p.setProperty("completedEpoch", Integer.toString(completedEpoch));
                p.setProperty("seed", Long.toString(seed));
                p.setProperty("strategy", strategy);
                if (classes != null) {
                    p.setProperty("classes", Integer.toString(classes));
                }
                for (EpochMetrics m : history) {
                    p.setProperty("epoch." + m.epoch(), toLine(m));
                }
                AtomicFiles.write(tmp.resolve(STATE_FILE), out -> {
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    p.store(w, "trainer checkpoint");
                    w.flush(); // not closed: AtomicFiles forces the file to disk after this, then closes it
                });
                deleteTree(target); // a stale copy from an earlier, crashed attempt at the same epoch
                AtomicFiles.moveIntoPlace(tmp, target);
            } finally {
                deleteTree(tmp);
            }
            try (Stream<Path> old = epochFolders(job)) {
                old.filter(d -> epochOf(d) < completedEpoch && epochOf(d) != keepEpoch)
                        .forEach(CheckpointStore::deleteTree);
            }
            return read(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint of job " + jobId + " to " + job, e);
        }
    }

    /** Removes every checkpoint of the job (e.g. once its result is published). */
    public void delete(String jobId) {
        deleteTree(jobFolder(jobId));
    }

    /**
     * Marks the job's checkpoints as belonging to a finished job (completed, failed for good or cancelled), so that
     * {@link #deleteFinishedBefore} removes them once they are older than the retention. They are kept until then
     * because a result published just before a crash is redelivered: the job then resumes from its last epoch instead
     * of training again.
     */
    public void markFinished(String jobId, Instant at) {
        // also for a job that failed before its first checkpoint: its attempt count goes with it
        AtomicFiles.writeString(jobFolder(jobId).resolve(FINISHED_FILE), at.toString());
    }

    /** A finished job that runs again (redelivered or retried) keeps its checkpoints while it runs. */
    public void markRunning(String jobId) {
        try {
            Files.deleteIfExists(jobFolder(jobId).resolve(FINISHED_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the checkpoints of job " + jobId + " running", e);
        }
    }

    /** Deletes the checkpoints of jobs that finished before {@code cutoff}; returns their job ids. */
    public List<String> deleteFinishedBefore(Instant cutoff) {
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return deleted;
        }
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(root)) {
            for (Path job : jobs) {
                Path marker = job.resolve(FINISHED_FILE);
                if (Files.isRegularFile(marker) && finishedAt(marker).isBefore(cutoff)) {
                    deleteTree(job);
                    deleted.add(job.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
        return deleted;
    }

    private static Instant finishedAt(Path marker) throws IOException {
        try {
            return Instant.parse(Files.readString(marker).strip());
        } catch (java.time.format.DateTimeParseException e) {
            return Files.getLastModifiedTime(marker).toInstant(); // torn write: the file's time is close enough
        }
    }

    private Checkpoint read(Path folder) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(folder.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + folder, e);
        }
        int completed = Integer.parseInt(p.getProperty("completedEpoch"));
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 1; e <= completed; e++) {
            String line = p.getProperty("epoch." + e);
            if (line != null) {
                history.add(fromLine(line));
            }
        }
        String classes = p.getProperty("classes");
        return new Checkpoint(
                folder,
                completed,
                Long.parseLong(p.getProperty("seed")),
                p.getProperty("strategy"),
                classes == null ? null : Integer.valueOf(classes),
                history);
    }

    private static Stream<Path> epochFolders(Path job) {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(job)) {
            for (Path d : ds) {
                if (Files.isDirectory(d)
                        && EPOCH_DIR.matcher(d.getFileName().toString()).matches()
                        && Files.isRegularFile(d.resolve(STATE_FILE))) {
                    dirs.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + job, e);
        }
        return dirs.stream();
    }

    private static int epochOf(Path dir) {
        Matcher m = EPOCH_DIR.matcher(dir.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * The epoch's figures; a validated epoch's three validation figures at the end (older checkpoints have 8 fields).
     */
    private static String toLine(EpochMetrics m) {
        String line = m.epoch() + "," + m.totalEpochs() + "," + m.loss() + "," + m.trainAccuracy() + "," + m.seconds()
                + "," + m.imagesPerSecond() + "," + m.dataWaitSeconds() + "," + m.samples();
        return m.validated() ? line + "," + m.valLoss() + "," + m.valAccuracy() + "," + m.valSeconds() : line;
    }

    private static EpochMetrics fromLine(String line) {
        String[] f = line.split(",");
        EpochMetrics m = new EpochMetrics(
                Integer.parseInt(f[0]),
                Integer.parseInt(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Integer.parseInt(f[7]));
        return f.length >= 11
                ? m.withValidation(Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]))
                : m;
    }

    private static void deleteTree(Path p) {
        Folders.deleteTree(p);
    }
}
