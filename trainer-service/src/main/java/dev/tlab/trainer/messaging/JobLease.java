package dev.tlab.trainer.messaging;

import dev.tlab.trainer.job.JobControl;
import dev.tlab.trainer.job.StopReason;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The running job's hold on its record: the partition and offset it came from, whether that partition was revoked (the
 * job must stop at its next batch), whether the trainer stopped waiting for it (fenced: it must not publish), and how
 * its run ended.
 */
final class JobLease implements JobControl {
    private final TopicPartition partition;
    private final long offset;
    private final BooleanSupplier shuttingDown;
    private final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    private volatile boolean revoked;
    private volatile boolean fenced;

    /**
     * @param partition where the job's record came from; null when unknown (a message without Kafka metadata), which no
     *     revocation matches
     */
    JobLease(TopicPartition partition, long offset, BooleanSupplier shuttingDown) {
        this.partition = partition;
        this.offset = offset;
        this.shuttingDown = shuttingDown;
    }

    TopicPartition partition() {
        return partition;
    }

    long offset() {
        return offset;
    }

    @Override
    public Optional<StopReason> stopRequested() {
        if (revoked) {
            return Optional.of(StopReason.REVOKED);
        }
        return shuttingDown.getAsBoolean() ? Optional.of(StopReason.SHUTDOWN) : Optional.empty();
    }

    @Override
    public boolean fenced() {
        return fenced;
    }

    /** Its partition goes to another trainer: stop at the next batch boundary. */
    void revoke() {
        revoked = true;
    }

    /** The trainer stopped waiting for it: another trainer may own the job now. */
    void fence() {
        fenced = true;
    }

    /** The run is over; {@code acknowledged} says whether the record is done with (its offset may be committed). */
    void end(boolean acknowledged) {
        ended.complete(acknowledged);
    }

    /** Whether the run ended acknowledged, once it ended within the wait; empty when it still runs. */
    Optional<Boolean> awaitEnd(Duration wait) {
        try {
            return Optional.of(ended.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a job lease never ends exceptionally", e);
        }
    }
}
