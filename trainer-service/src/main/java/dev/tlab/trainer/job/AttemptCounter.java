package dev.tlab.trainer.job;

import dev.tlab.datafiles.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts how often a job was started, on the checkpoint volume: a job redelivered after a crash carries the same
 * message, and the events of its second run must say attempt 2 so the results service can tell the runs apart.
 */
public final class AttemptCounter {
    private final Path folder;

    public AttemptCounter(Path checkpointRoot) {
        this.folder = checkpointRoot.resolve("attempts");
    }

    /** Forgets the job's count, once its checkpoints are removed. */
    public synchronized void forget(String jobId) {
        try {
            Files.deleteIfExists(folder.resolve(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the attempt count of job " + jobId + " under " + folder, e);
        }
    }

    /** Records one more start of the job and returns its attempt number (at least the message's own). */
    public synchronized int next(String jobId, int fromMessage) {
        Path file = folder.resolve(jobId);
        int previous;
        try {
            previous =
                    Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attempt count of job " + jobId + " under " + folder, e);
        }
        int attempt = Math.max(previous + 1, fromMessage);
        // another trainer resuming the job reads this file: it sees the old count or the new one, never half of one
        AtomicFiles.writeString(file, Integer.toString(attempt));
        return attempt;
    }
}
