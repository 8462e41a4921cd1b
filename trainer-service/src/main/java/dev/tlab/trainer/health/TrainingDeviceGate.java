package dev.tlab.trainer.health;

import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.metrics.EngineGauges;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Lets the trainer take jobs only once its training device is known to work. The {@code training-jobs} channel starts
 * paused with late subscription (application.properties), so its Kafka consumer does not even subscribe, and holds no
 * partition of the group, until {@link #open} resumes it. At start-up the engine is probed on a thread of its own
 * (loading libtorch takes seconds); when the probe says the device is unusable (a GPU demanded and absent, CUDA
 * libtorch that does not load) the channel stays closed and readiness reports the reason.
 */
@ApplicationScoped
public class TrainingDeviceGate {
    /** The incoming channel of {@code TrainingJobListener}. */
    static final String JOBS_CHANNEL = "training-jobs";

    private static final Logger LOG = Logger.getLogger(TrainingDeviceGate.class);

    private final TrainerConfig config;
    private final ChannelRegistry channels;
    private final EngineGauges gauges;
    private volatile EngineReport report;

    public TrainingDeviceGate(TrainerConfig config, ChannelRegistry channels, EngineGauges gauges) {
        this.config = config;
        this.channels = channels;
        this.gauges = gauges;
    }

    /** Runs after SmallRye has wired the channels (its start-up observer has a higher priority). */
    void onStart(@Observes StartupEvent event) {
        Thread probe = new Thread(this::probeAndOpen, "training-device-probe");
        probe.setDaemon(true);
        probe.start();
    }

    /** The probe's outcome, empty while it runs. */
    public Optional<EngineReport> report() {
        return Optional.ofNullable(report);
    }

    void probeAndOpen() {
        EngineReport found;
        try {
            found = EngineProbe.probe(config.device());
        } catch (RuntimeException | Error e) {
            // never leave readiness at "probing": say what broke
            found = new EngineReport(
                    config.device(),
                    false,
                    "the engine probe failed: " + e,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    null,
                    null,
                    null,
                    Map.of());
        }
        if (found.ready()) {
            found = open(found);
        }
        gauges.record(found);
        report = found;
        if (found.ready()) {
            LOG.infof("training device %s", found.summary());
            if (found.warning() != null) {
                LOG.warnf("training device: %s", found.warning());
            }
        } else {
            LOG.errorf(
                    "training device %s. This trainer takes no jobs until restarted with a usable device.",
                    found.summary());
        }
    }

    private EngineReport open(EngineReport found) {
        PausableChannel jobs = channels.getPausable(JOBS_CHANNEL);
        if (jobs == null) {
            return new EngineReport(
                    found.requestedDevice(),
                    false,
                    "channel " + JOBS_CHANNEL + " is not pausable, so"
                            + " it could not wait for this check: set mp.messaging.incoming." + JOBS_CHANNEL
                            + ".pausable=true",
                    found.engine(),
                    found.djlVersion(),
                    found.libtorchVersion(),
                    found.flavor(),
                    found.libtorchPath(),
                    found.gpuCount(),
                    found.cudaRuntime(),
                    found.device(),
                    found.warning(),
                    found.settings());
        }
        jobs.resume();
        return found;
    }
}
