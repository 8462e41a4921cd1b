package dev.tlab.trainer.job;

import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.store.ModelStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@link CheckpointRetention#removeExpired()} and {@link ModelStore#removeExpired} every
 * {@code tlab.trainer.checkpoint-sweep-interval}.
 */
@ApplicationScoped
public class CheckpointSweeper {
    private static final Logger LOG = Logger.getLogger(CheckpointSweeper.class);

    private final CheckpointRetention retention;
    private final TrainerConfig config;
    private final ModelStore models;
    private ScheduledExecutorService timer;

    public CheckpointSweeper(CheckpointRetention retention, TrainerConfig config, ModelStore models) {
        this.retention = retention;
        this.models = models;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long every = Math.max(1, config.checkpointSweepInterval().toMillis());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-sweeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            retention.removeExpired();
            models.removeExpired(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not remove expired checkpoints or models (next try in %s): %s",
                    config.checkpointSweepInterval(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
