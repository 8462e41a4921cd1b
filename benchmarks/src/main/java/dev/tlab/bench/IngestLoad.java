package dev.tlab.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The results service's ingest rate: experiments of a given shape are announced, then all their EpochCompleted events
 * are published at once and timed until GET shows the last of them.
 */
final class IngestLoad {
    private static final String DEVICE = "cpu";

    private IngestLoad() {}

    /** What each run publishes: {@code experiments} of {@code jobs} jobs with {@code epochs} epochs each. */
    record Shape(int experiments, int jobs, int epochs, String description) {}

    /**
     * {@code warmUps} runs of the shape, then {@code runs} more, each into new experiments; the row gives the median of
     * the latter, every run, and the warm-up runs apart.
     */
    static void measure(LocalStack stack, Shape shape, int warmUps, int runs, Consumer<ObjectNode> sink)
            throws Exception {
        List<Double> warmUpRates = new ArrayList<>();
        for (int run = 0; run < warmUps; run++) {
            ObjectNode warmUp = once(stack, shape);
            warmUpRates.add(warmUp.path("eventsPerSecond").asDouble());
        }
        List<ObjectNode> measured = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            measured.add(once(stack, shape));
        }
        double[] rates = measured.stream()
                .mapToDouble(m -> m.path("eventsPerSecond").asDouble())
                .toArray();
        double median = Stats.median(rates);
        ObjectNode n = measured.stream()
                .filter(m -> m.path("eventsPerSecond").asDouble() == median)
                .findFirst()
                .orElse(measured.get(0));
        n.put("shape", shape.description()).put("runs", runs);
        ArrayNode each = n.putArray("runsEventsPerSecond");
        for (double rate : rates) {
            each.add(rate);
        }
        if (!warmUpRates.isEmpty()) {
            ArrayNode warmUp = n.putArray("warmUpEventsPerSecond");
            warmUpRates.forEach(warmUp::add);
        }
        sink.accept(n);
    }

    /** One run: announces the experiments, publishes their events and times them until all are visible in GET. */
    private static ObjectNode once(LocalStack stack, Shape shape) throws Exception {
        int experiments = shape.experiments();
        int epochs = shape.epochs();
        int total = experiments * shape.jobs() * epochs;
        ResultsClient client = new ResultsClient(stack.settings().resultsUrl());
        int partitions;
        try (KafkaProducer<String, byte[]> producer =
                ResultsTraffic.producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
            partitions =
                    producer.partitionsFor(Topic.TRAINING_EVENTS.topicName()).size();
        }
        // The experiments are announced before the clock starts, as the dataset service announces them (its
        // TrainingJobs); training events of an experiment nobody announced are kept apart and never shown.
        List<List<JobRef>> jobs = new ArrayList<>();
        for (int x = 0; x < experiments; x++) {
            jobs.add(ResultsTraffic.jobs(UUID.randomUUID(), shape.jobs()));
        }
        // One marker job per partition, published after everything else: the service consumes each partition in
        // order, so when the marker experiment shows every marker job's epoch, every event before them is ingested.
        UUID marker = UUID.randomUUID();
        List<JobRef> markers = ResultsTraffic.jobs(marker, partitions);
        List<List<JobRef>> announced = new ArrayList<>(jobs);
        announced.add(markers);
        ResultsTraffic.announce(stack, client, announced, epochs);
        // Events are encoded before the clock starts: the figure is the broker and the service, not this client.
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(total);
        for (List<JobRef> experiment : jobs) {
            for (JobRef job : experiment) {
                for (int e = 1; e <= epochs; e++) {
                    EpochCompleted event = EpochCompleted.of(job, DEVICE, e, epochs, 1.0 / e, 0.5, 1.0, 100.0, 0.01);
                    records.add(new ProducerRecord<>(
                            Topic.TRAINING_EVENTS.topicName(), job.jobId().toString(), EventCodec.toBytes(event)));
                }
            }
        }
        long t0;
        double published;
        try (KafkaProducer<String, byte[]> producer =
                ResultsTraffic.producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
            t0 = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            for (int p = 0; p < partitions; p++) {
                JobRef job = markers.get(p);
                producer.send(new ProducerRecord<>(
                        Topic.TRAINING_EVENTS.topicName(),
                        p,
                        job.jobId().toString(),
                        EventCodec.toBytes(EpochCompleted.of(job, DEVICE, 1, 1, 1, 0.5, 1, 1, 0))));
            }
            producer.flush();
            published = (System.nanoTime() - t0) / 1e9;
        }
        double seen = Double.NaN;
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            var view = client.experiment(marker);
            if (view.isPresent() && ResultsTraffic.countEpochs(view.get()) >= partitions) {
                seen = (System.nanoTime() - t0) / 1e9;
                break;
            }
            Thread.sleep(20);
        }
        System.out.printf("[stack] %d events published in %.2f s, ingested after %.2f s%n", total, published, seen);
        ObjectNode n = Rows.row("results-ingest");
        n.put("events", total + partitions)
                .put("experiments", experiments + 1)
                .put("publishSeconds", published)
                .put("ingestedSeconds", seen)
                .put("eventsPerSecond", Stats.rate(total + partitions, seen))
                .put("publishEventsPerSecond", Stats.rate(total + partitions, published))
                .put("partitions", partitions);
        return n;
    }
}
