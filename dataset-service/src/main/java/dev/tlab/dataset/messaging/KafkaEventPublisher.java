package dev.tlab.dataset.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.dataset.DatasetConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes events as JSON strings (EventCodec) with their key, and waits for the broker's acknowledgement, so the
 * caller knows the event is stored before it goes on. The producers of {@code experiments-out},
 * {@code experiment-cancellations} and {@code training-events} give up within seconds (application.properties), so that
 * a broker that is down is answered with 503 rather than a request that hangs, and a refused message is not sent late.
 */
@Singleton
@Typed(KafkaEventPublisher.class) // the EventPublisher bean is DatasetBeans' (normal-scoped, so tests can stand in)
public class KafkaEventPublisher implements EventPublisher {
    /** Jobs in flight at once per fan-out: sends overlap instead of waiting for each acknowledgement in turn. */
    static final int JOB_WINDOW = 100;

    private static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(3);

    private final MutinyEmitter<String> experiments;
    private final MutinyEmitter<String> manifests;
    private final MutinyEmitter<String> jobs;
    private final MutinyEmitter<String> cancellations;
    private final MutinyEmitter<String> events;
    private final DatasetConfig config;

    public KafkaEventPublisher(
            @Channel("experiments-out") MutinyEmitter<String> experiments,
            @Channel("dataset-manifests") MutinyEmitter<String> manifests,
            @Channel("training-jobs") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<String> jobs,
            @Channel("experiment-cancellations") MutinyEmitter<String> cancellations,
            @Channel("training-events") MutinyEmitter<String> events,
            DatasetConfig config) {
        this.experiments = experiments;
        this.manifests = manifests;
        this.jobs = jobs;
        this.cancellations = cancellations;
        this.events = events;
        this.config = config;
    }

    @Override
    public void publishExperiment(ExperimentRequested event) {
        send(
                experiments,
                event.experimentId().toString(),
                EventCodec.toJson(event),
                "the request",
                "retry later" + " with the same experimentId (a repeated request is idempotent)");
    }

    @Override
    public void publishManifest(DatasetManifest manifest) {
        manifests.sendMessageAndAwait(KafkaRecord.of(manifest.manifestId(), EventCodec.toJson(manifest)));
    }

    @Override
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

    @Override
    public void publishCancellation(ExperimentCancelled cancellation) {
        send(
                cancellations,
                cancellation.experimentId().toString(),
                EventCodec.toJson(cancellation),
                "the cancellation",
                "try again (cancelling twice changes nothing)");
    }

    @Override
    public void publishFailure(ExperimentFailed failure) {
        send(
                events,
                failure.experimentId().toString(),
                EventCodec.toJson(failure),
                "the experiment's failure",
                "it is logged here");
    }

    /** Sends and waits for the broker, at most {@code tlab.dataset.publish-timeout}. */
    private void send(MutinyEmitter<String> emitter, String key, String json, String what, String whatToDo) {
        try {
            emitter.sendMessage(KafkaRecord.of(key, json)).await().atMost(config.publishTimeout());
        } catch (RuntimeException e) {
            throw new BrokerUnavailableException(
                    "Kafka did not take " + what + " within " + config.publishTimeout() + " (" + rootMessage(e) + "); "
                            + whatToDo,
                    config.retryAfter(),
                    e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
