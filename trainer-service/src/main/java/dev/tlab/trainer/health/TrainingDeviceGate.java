package dev.tlab.trainer.health;

import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.metrics.EngineGauges;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Lets the trainer take jobs only while its training device works. The {@code training-jobs} channel starts paused with
 * late subscription (application.properties), so its Kafka consumer does not even subscribe, and holds no partition of
 * the group, until {@link #open} resumes it. At start-up the engine is probed on a thread of its own (loading libtorch
 * takes seconds); while the probe says the device is unusable (a GPU demanded and absent, CUDA libtorch that does not
 * load) the channel stays closed, readiness reports the reason, and the probe runs again every
 * {@code tlab.trainer.startup.probe-interval}; a trainer still without a usable device after
 * {@code tlab.trainer.startup.deadline} exits with {@link #STARTUP_FAILURE_EXIT_CODE} and the reason, so that it does
 * not hold its GPU unready forever. A device that breaks later ({@link #fault}) closes the channel again and turns
 * liveness DOWN.
 */
@ApplicationScoped
public class TrainingDeviceGate {
    /** The incoming channel of {@code TrainingJobListener}. */
    static final String JOBS_CHANNEL = "training-jobs";
    /** The exit code of a trainer whose device was not usable within {@code tlab.trainer.startup.deadline}. */
    public static final int STARTUP_FAILURE_EXIT_CODE = 3;

    private static final Logger LOG = Logger.getLogger(TrainingDeviceGate.class);

    private final TrainerConfig config;
    private final ChannelRegistry channels;
    private final EngineGauges gauges;
    private volatile EngineReport report;
    private volatile String fault;

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
        long deadline = System.nanoTime() + config.startup().deadline().toNanos();
        while (true) {
            EngineReport found = probe();
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
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.errorf(
                        "training device %s. It has not been usable within tlab.trainer.startup.deadline=%s: this"
                                + " trainer exits with code %d.",
                        found.summary(), config.startup().deadline(), STARTUP_FAILURE_EXIT_CODE);
                Quarkus.asyncExit(STARTUP_FAILURE_EXIT_CODE);
                return;
            }
            LOG.errorf(
                    "training device %s. This trainer takes no jobs; it probes again in %s and exits when the device"
                            + " is still unusable %s after its start (tlab.trainer.startup.deadline).",
                    found.summary(),
                    config.startup().probeInterval(),
                    config.startup().deadline());
            try {
                Thread.sleep(Math.max(1, config.startup().probeInterval().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private EngineReport probe() {
        try {
            return EngineProbe.probe(config.device());
        } catch (RuntimeException | Error e) {
            // never leave readiness at "probing": say what broke
            return new EngineReport(
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
    }

    /**
     * The device broke while the trainer ran (a job left it unusable): no more jobs here, readiness and liveness DOWN
     * with the reason, so that Kubernetes replaces the pod and the job goes to another trainer.
     */
    public void fault(String reason) {
        fault = reason;
        PausableChannel jobs = channels.getPausable(JOBS_CHANNEL);
        if (jobs != null) {
            jobs.pause();
        }
        EngineReport found = report;
        EngineReport down = found == null
                ? new EngineReport(
                        config.device(), false, reason, null, null, null, null, null, 0, null, null, null, Map.of())
                : notReady(found, reason);
        gauges.record(down);
        report = down;
        LOG.errorf(
                "training device unusable: %s. Liveness is DOWN so that this pod is replaced; it takes no more jobs.",
                reason);
    }

    /** Why the device broke after start, empty while it works (or never worked: readiness says that). */
    public Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    private EngineReport open(EngineReport found) {
        PausableChannel jobs = channels.getPausable(JOBS_CHANNEL);
        if (jobs == null) {
            return notReady(
                    found,
                    "channel " + JOBS_CHANNEL + " is not pausable, so it could not wait for this check: set"
                            + " mp.messaging.incoming." + JOBS_CHANNEL + ".pausable=true");
        }
        jobs.resume();
        return found;
    }

    private static EngineReport notReady(EngineReport found, String reason) {
        return new EngineReport(
                found.requestedDevice(),
                false,
                reason,
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
}
