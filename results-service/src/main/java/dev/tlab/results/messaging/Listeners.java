package dev.tlab.results.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The three Kafka consumers (see application.properties: each channel has its own consumer group, unique per process
 * start, reading from the earliest offset, so that every start rebuilds the same aggregate). Applying a message is
 * a few microseconds of in-memory work, so it runs on the connector's thread rather than being handed to a worker
 * (that hand-off cost more than the work and capped ingestion). Payloads arrive as
 * Strings and are decoded here so that a malformed message fails here and the channel's failure strategy applies.
 */
@ApplicationScoped
public class Listeners {
    private static final Logger LOG = Logger.getLogger(Listeners.class);

    @Inject
    Ingestor ingestor;

    @Incoming("training-events")
    public void trainingEvent(String payload) {
        ingestor.trainingEvent(payload);
    }

    @Incoming("training-jobs")
    public void trainingJob(String payload) {
        ingestor.trainingJob(payload);
    }

    @Incoming("dataset-manifests")
    public void manifest(String payload) {
        if (payload == null) {
            LOG.debug("ignoring a tombstone on dataset-manifests");
            return;
        }
        ingestor.manifest(payload);
    }
}
