package dev.tlab.dataset.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.TrainingJob;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the dataset service publishes, each call returning once the broker has it (manifest before jobs). Implemented on
 * Kafka by {@link KafkaEventPublisher}; an interface so that the experiment logic can be run without Quarkus or a
 * broker, and a test can hold a fan-out at a point of its choosing.
 */
public interface EventPublisher {
    /**
     * To {@code experiments}, key experimentId.
     *
     * @throws BrokerUnavailableException when the broker has not taken it within {@code tlab.dataset.publish-timeout}
     */
    void publishExperiment(ExperimentRequested event);

    /** To {@code dataset-manifests}, key manifestId. */
    void publishManifest(DatasetManifest manifest);

    /**
     * To {@code training-jobs}, key jobId; {@code published} hears of each job once the broker has it. Before each
     * window of concurrent sends {@code stop} is asked (the experiment was cancelled): if it holds, the remaining jobs
     * are not published.
     */
    void publishJobs(List<TrainingJob> jobs, BooleanSupplier stop, Consumer<TrainingJob> published);

    /**
     * To {@code experiment-cancellations}, key experimentId.
     *
     * @throws BrokerUnavailableException when the broker has not taken it within {@code tlab.dataset.publish-timeout}
     */
    void publishCancellation(ExperimentCancelled cancellation);

    /**
     * To {@code training-events}, key experimentId, where the results service reads everything of the experiment.
     *
     * @throws BrokerUnavailableException when the broker has not taken it within {@code tlab.dataset.publish-timeout}
     */
    void publishFailure(ExperimentFailed failure);
}
