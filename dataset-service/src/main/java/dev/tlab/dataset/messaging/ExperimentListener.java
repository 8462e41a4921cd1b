package dev.tlab.dataset.messaging;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Requests;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.ExperimentService;
import dev.tlab.dataset.source.DatasetException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code experiments}. The payload is read as bytes and decoded here, so that a message that is not a valid
 * ExperimentRequested (or cannot be processed) fails this method: SmallRye then nacks it and the channel's failure
 * strategy (tlab-dead-letter) copies it unchanged to {@code experiments-dlq} with the reason in the
 * {@code dead-letter-reason} header, and consumption goes on whatever the message. The request is read and checked by
 * the same rules as {@code POST /experiments} ({@link Requests}, ExperimentAdmission), so the reason is the one REST
 * would give.
 */
@ApplicationScoped
public class ExperimentListener {
    private static final Logger LOG = Logger.getLogger(ExperimentListener.class);

    @Inject
    ExperimentService experiments;

    @Inject
    DatasetMetrics metrics;

    @Incoming("experiments-in")
    // Experiments side by side, each one's messages in order (throttled.ordered=key in application.properties).
    @Blocking(ordered = false)
    public void onExperiment(byte[] payload) {
        ExperimentRequested request;
        try {
            request = Requests.experiment(payload);
        } catch (MalformedEventException e) {
            metrics.rejected("kafka", "malformed", e.field());
            LOG.warnf("malformed ExperimentRequested goes to the dead-letter topic: %s", e.getMessage());
            throw e;
        }
        try {
            experiments.handle(request);
        } catch (InvalidFieldException e) {
            metrics.rejected("kafka", "invalid", e.field());
            LOG.warnf("experiment %s rejected: %s", request.experimentId(), e.getMessage());
            throw e;
        } catch (DatasetException e) {
            metrics.rejected("kafka", "dataset-unavailable", e.field());
            LOG.errorf("experiment %s cannot be served: %s", request.experimentId(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            metrics.rejected("kafka", "failed", null);
            LOG.errorf(e, "experiment %s failed", request.experimentId());
            throw e;
        }
    }
}
