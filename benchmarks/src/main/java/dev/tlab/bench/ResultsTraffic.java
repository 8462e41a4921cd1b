package dev.tlab.bench;

import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the results service's benchmarks publish in place of the other services: the dataset service's TrainingJobs that
 * announce experiments, and producers that write as the trainers do. The results cases run no trainer, so nobody trains
 * the jobs they announce.
 */
final class ResultsTraffic {
    private ResultsTraffic() {}

    /** The jobs of one experiment: strategies s0, s1, ... with seed 0, ids as the dataset service derives them. */
    static List<JobRef> jobs(UUID experiment, int count) {
        List<JobRef> jobs = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            String strategy = "s" + j;
            jobs.add(new JobRef(TrainingJob.jobIdFor(experiment, strategy, 0L), experiment, strategy, 0L, 1));
        }
        return jobs;
    }

    /**
     * Publishes a TrainingJob per job as the dataset service does (its Kafka user, key jobId) and waits until the
     * results service lists every experiment.
     */
    static void announce(LocalStack stack, ResultsClient client, List<List<JobRef>> all, int epochs) throws Exception {
        long before = client.experiments(0, 1).total();
        HyperParameters hp = HyperParameters.notebook().withEpochs(epochs);
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer =
                producer(stack.clientConfig(KafkaAccess.Identity.DATASET_SERVICE))) {
            for (List<JobRef> experiment : all) {
                for (JobRef job : experiment) {
                    TrainingJob announced = new TrainingJob(
                            UUID.randomUUID(),
                            TrainingJob.TYPE,
                            TrainingJob.SCHEMA_VERSION,
                            now,
                            job.jobId(),
                            job.experimentId(),
                            "bench-manifest",
                            "http://127.0.0.1:1/manifests/bench-manifest",
                            "synthetic",
                            true,
                            strategy(job.strategy()),
                            hp,
                            ModelSpec.trainerDefault(),
                            0L,
                            1);
                    producer.send(new ProducerRecord<>(
                            Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toBytes(announced)));
                }
            }
            producer.flush();
        }
        long expected = before + all.size();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (client.experiments(0, 1).total() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the results service did not list the " + all.size()
                        + " announced experiments within 5 minutes");
            }
            Thread.sleep(50);
        }
    }

    /** Training events written as the trainers write them (with {@code client}'s Kafka user). */
    static KafkaProducer<String, byte[]> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** How many epochs the results service shows for the experiment, over all its runs. */
    static int countEpochs(Views.Experiment experiment) {
        return experiment.strategies().stream()
                .flatMap(s -> s.runs().stream())
                .mapToInt(Views.Run::epochsCompleted)
                .sum();
    }

    /** A built-in strategy by its name; the bench's own names (s0, s1, ...) train the head only, like freeze. */
    private static StrategySpec strategy(String name) {
        return StrategySpec.BUILT_IN.containsKey(name)
                ? StrategySpec.named(name)
                : new StrategySpec(name, List.of("fc.*"));
    }
}
