package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Request to first training step: the time from a published ExperimentRequested to its JobStarted and to its first
 * EpochCompleted, on a stack with one trainer, over a few runs of a tiny experiment (the first run reported apart: it
 * pays the consumer groups' joins and the JIT).
 */
final class RequestLatency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestLatency() {}

    static void measure(LocalStack stack, boolean quick, Consumer<ObjectNode> sink) throws Exception {
        int runs = quick ? 2 : 5;
        List<Double> toStart = new ArrayList<>();
        List<Double> toEpoch = new ArrayList<>();
        try (KafkaConsumer<String, String> events = tail(stack.clientConfig(KafkaAccess.Identity.VIEWER))) {
            for (int run = 1; run <= runs; run++) {
                UUID id = UUID.randomUUID();
                HyperParameters hp = HyperParameters.builder()
                        .epochs(1)
                        .trainBatchSize(16)
                        .evalBatchSize(50)
                        .imageSize(16)
                        .build();
                ExperimentRequested request = ExperimentRequested.create(
                        id,
                        DatasetSpec.of(DatasetSpec.SYNTHETIC),
                        new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 8, 0L),
                        List.of(StrategySpec.named("freeze")),
                        hp,
                        ModelSpec.trainerDefault(),
                        List.of(0L));
                long published = System.nanoTime();
                ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);
                double started = Double.NaN;
                double epoch = Double.NaN;
                long deadline = published + TimeUnit.MINUTES.toNanos(3);
                boolean done = false;
                while (!done && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(20))) {
                        JsonNode e = JSON.readTree(r.value());
                        if (!id.toString()
                                .equals(e.path("job").path("experimentId").asText())) {
                            continue;
                        }
                        double at = (System.nanoTime() - published) / 1e9;
                        switch (e.path("type").asText()) {
                            case JobStarted.TYPE -> started = Double.isNaN(started) ? at : started;
                            case EpochCompleted.TYPE -> epoch = Double.isNaN(epoch) ? at : epoch;
                            case JobCompleted.TYPE, "JobFailed" -> done = true;
                            default -> {}
                        }
                    }
                }
                System.out.printf(
                        "[stack] run %d: JobStarted after %.3f s, first EpochCompleted after %.3f s%n",
                        run, started, epoch);
                ObjectNode n = Rows.row("pipeline-run");
                n.put("run", run).put("toJobStartedSeconds", started).put("toFirstEpochSeconds", epoch);
                sink.accept(n);
                toStart.add(started);
                toEpoch.add(epoch);
            }
        }
        ObjectNode n = Rows.row("request-latency");
        n.put("runs", runs)
                .put("firstRunToJobStartedSeconds", toStart.get(0))
                .put("firstRunToFirstEpochSeconds", toEpoch.get(0))
                .put("medianToJobStartedSeconds", Stats.median(Rows.array(toStart)))
                .put("medianToFirstEpochSeconds", Stats.median(Rows.array(toEpoch)))
                .put("medianWarmToJobStartedSeconds", Stats.median(Rows.array(toStart.subList(1, runs))))
                .put("medianWarmToFirstEpochSeconds", Stats.median(Rows.array(toEpoch.subList(1, runs))))
                .put(
                        "experiment",
                        "synthetic, 8 images per class, 16 px, 1 strategy (freeze), 1 epoch, batch 16, "
                                + "the narrow demo model, 1 trainer");
        sink.accept(n);
    }

    /** A consumer of training-events positioned at their end, before anything is published. */
    private static KafkaConsumer<String, String> tail(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, String> c =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            List<PartitionInfo> info = c.partitionsFor(Topic.TRAINING_EVENTS.topicName(), Duration.ofSeconds(10));
            if (info != null) {
                info.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position); // resolve the end offsets now, before anything is published
        return c;
    }
}
