package dev.tlab.dataset.messaging;

import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.ExperimentIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code experiments} and hands each record to {@link ExperimentIntake#receive}. The payload is read as bytes,
 * so that a message that cannot be read or processed fails this method: SmallRye then nacks it and the channel's
 * failure strategy (tlab-dead-letter) copies it unchanged to {@code experiments-dlq} with the reason in the
 * {@code dead-letter-reason} header, and consumption goes on whatever the message.
 */
@ApplicationScoped
public class ExperimentListener {
    private final ExperimentIntake intake;
    private final DatasetMetrics metrics;

    public ExperimentListener(ExperimentIntake intake, DatasetMetrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @Incoming("experiments-in")
    // Experiments side by side, each one's messages in order (throttled.ordered=key in application.properties).
    @Blocking(ordered = false)
    public void onExperiment(byte[] payload) {
        try {
            intake.receive(payload);
        } catch (RuntimeException e) {
            metrics.rejected("kafka", e);
            throw e;
        }
    }
}
