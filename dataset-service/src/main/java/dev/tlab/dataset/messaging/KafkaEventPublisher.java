package dev.tlab.dataset.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.dataset.DatasetConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes events as JSON strings (EventCodec) with their key, and waits for the broker's acknowledgement, so the
 * caller knows the event is stored before it goes on (manifest before jobs).
 */
@ApplicationScoped
public class EventPublisher {
    /** Jobs in flight at once per fan-out: sends overlap instead of waiting for each acknowledgement in turn. */
    static final int JOB_WINDOW = 100;

    private static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    @Channel("experiments-out")
    MutinyEmitter<String> experiments;

    @Inject
    @Channel("dataset-manifests")
    MutinyEmitter<String> manifests;

    @Inject
    @Channel("training-jobs")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<String> jobs;

    @Inject
    @Channel("experiment-cancellations")
    MutinyEmitter<String> cancellations;

    @Inject
    DatasetConfig config;

    /**
     * @throws BrokerUnavailableException when the broker has not taken it within {@code tlab.dataset.publish-timeout}
     *     (the producer itself gives up sooner, see experiments-out in application.properties, so it is not sent late)
     */
    public void publishExperiment(ExperimentRequested event) {
        try {
            experiments
                    .sendMessage(KafkaRecord.of(event.experimentId().toString(), EventCodec.toJson(event)))
                    .await()
                    .atMost(config.publishTimeout());
        } catch (RuntimeException e) {
            throw new BrokerUnavailableException(
                    "Kafka did not take the request within " + config.publishTimeout() + " (" + rootMessage(e)
                            + "); retry later with the same experimentId (a repeated request is idempotent)",
                    config.retryAfter(),
                    e);
        }
    }

    public void publishManifest(DatasetManifest manifest) {
        manifests.sendMessageAndAwait(KafkaRecord.of(manifest.manifestId(), EventCodec.toJson(manifest)));
    }

    /**
     * Publishes the jobs in windows of {@link #JOB_WINDOW} concurrent sends; {@code published} hears of each job once
     * the broker has its whole window. Before each window {@code stop} is asked (the experiment was cancelled): if it
     * holds, the remaining jobs are not published.
     */
    public void publishJobs(List<TrainingJob> toPublish, BooleanSupplier stop, Consumer<TrainingJob> published) {
        for (int from = 0; from < toPublish.size() && !stop.getAsBoolean(); from += JOB_WINDOW) {
            List<TrainingJob> window = toPublish.subList(from, Math.min(toPublish.size(), from + JOB_WINDOW));
            List<Uni<Void>> sends = window.stream()
                    .map(job -> jobs.sendMessage(KafkaRecord.of(job.jobId().toString(), EventCodec.toJson(job))))
                    .toList();
            Uni.join().all(sends).andFailFast().await().atMost(WINDOW_TIMEOUT);
            window.forEach(published);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * @throws BrokerUnavailableException when the broker has not taken it within {@code tlab.dataset.publish-timeout}
     *     (the producer gives up sooner, see experiment-cancellations in application.properties)
     */
    public void publishCancellation(ExperimentCancelled cancellation) {
        try {
            cancellations
                    .sendMessage(
                            KafkaRecord.of(cancellation.experimentId().toString(), EventCodec.toJson(cancellation)))
                    .await()
                    .atMost(config.publishTimeout());
        } catch (RuntimeException e) {
            throw new BrokerUnavailableException(
                    "Kafka did not take the cancellation within " + config.publishTimeout() + " (" + rootMessage(e)
                            + "); try again (cancelling twice changes nothing)",
                    config.retryAfter(),
                    e);
        }
    }
}
