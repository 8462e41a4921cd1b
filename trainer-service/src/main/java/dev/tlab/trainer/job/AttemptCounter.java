package dev.tlab.trainer.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        try {
            Files.createDirectories(folder);
            int previous =
                    Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
            int attempt = Math.max(previous + 1, fromMessage);
            Path temp = Files.createTempFile(folder, jobId, ".tmp");
            Files.writeString(temp, Integer.toString(attempt));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return attempt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the attempt of job " + jobId + " under " + folder, e);
        }
    }
}
