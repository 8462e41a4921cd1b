package dev.tlab.dataset.experiment;

import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job ids already published, in memory and appended to a file ({@code <jobId> <experimentId>} per line), so that a
 * redelivered or repeated request publishes no job twice, also across restarts.
 */
public final class JobLedger {
    private final AppendLog log;
    private final Set<UUID> published = ConcurrentHashMap.newKeySet();
    private final Set<UUID> experiments = ConcurrentHashMap.newKeySet();

    public JobLedger(Path file) {
        this.log = new AppendLog(file);
        for (String[] record : log.records()) {
            try {
                published.add(UUID.fromString(record[0]));
                if (record.length >= 2) {
                    experiments.add(UUID.fromString(record[1]));
                }
            } catch (IllegalArgumentException e) {
                // a torn last line after a crash: that job is published again, which trainers tolerate
            }
        }
    }

    public boolean contains(UUID jobId) {
        return published.contains(jobId);
    }

    public void record(UUID jobId, UUID experimentId) {
        log.append(jobId.toString(), experimentId.toString());
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
