package dev.tlab.dataset.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job ids already published, in memory and appended to a file ({@code <jobId> <experimentId>} per line), so that a
 * redelivered or repeated request publishes no job twice, also across restarts.
 */
public final class JobLedger {
    private final Path file;
    private final Set<UUID> published = ConcurrentHashMap.newKeySet();
    private final Set<UUID> experiments = ConcurrentHashMap.newKeySet();

    public JobLedger(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length >= 1 && !parts[0].isEmpty()) {
                        try {
                            published.add(UUID.fromString(parts[0]));
                            if (parts.length >= 2) {
                                experiments.add(UUID.fromString(parts[1]));
                            }
                        } catch (IllegalArgumentException e) {
                            // a torn last line after a crash: that job is published again, which trainers tolerate
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    public boolean contains(UUID jobId) {
        return published.contains(jobId);
    }

    public synchronized void record(UUID jobId, UUID experimentId) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, jobId + " " + experimentId + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        published.add(jobId);
        experiments.add(experimentId);
    }

    /** Whether a job of the experiment was published. */
    public boolean containsExperiment(UUID experimentId) {
        return experiments.contains(experimentId);
    }

    public int size() {
        return published.size();
    }
}
