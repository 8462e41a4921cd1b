package dev.tlab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** GET /experiments/{id} of a finished experiment of the notebook's shape, under a fixed request rate. */
final class GetLoad {
    private static final String DEVICE = "cpu";
    private static final int RATE = 200;

    private GetLoad() {}

    record LoadResult(double[] latenciesMs, int errors, int skipped, double wallSeconds, int responseBytes) {}

    static void measure(LocalStack stack, boolean quick, Consumer<ObjectNode> sink) throws Exception {
        UUID experiment = finishedExperiment(stack);
        URI uri = URI.create(stack.settings().resultsUrl() + "/experiments/" + experiment);
        int seconds = quick ? 5 : 20;
        LoadResult warm = load(uri, RATE, Math.min(5, seconds));
        LoadResult r = load(uri, RATE, seconds);
        System.out.printf(
                "[stack] GET /experiments/{id}: %d requests at %d/s, p50 %.2f ms, p99 %.2f ms%n",
                r.latenciesMs.length, RATE, Stats.percentile(r.latenciesMs, 50), Stats.percentile(r.latenciesMs, 99));
        ObjectNode n = Rows.row("results-latency");
        n.put("path", "/experiments/{id}")
                .put("targetRate", RATE)
                .put("seconds", seconds)
                .put("requests", r.latenciesMs.length)
                .put("errors", r.errors)
                .put("skipped", r.skipped)
                .put("achievedRate", Stats.rate(r.latenciesMs.length, r.wallSeconds))
                .put("responseBytes", r.responseBytes)
                .put("p50Ms", Stats.percentile(r.latenciesMs, 50))
                .put("p90Ms", Stats.percentile(r.latenciesMs, 90))
                .put("p99Ms", Stats.percentile(r.latenciesMs, 99))
                .put("maxMs", Stats.percentile(r.latenciesMs, 100))
                .put("warmupRequests", warm.latenciesMs.length);
        sink.accept(n);
    }

    /** A finished experiment of the notebook's shape: three strategies, ten epochs each; waits until GET shows it. */
    private static UUID finishedExperiment(LocalStack stack) throws Exception {
        UUID experiment = UUID.randomUUID();
        String[] names = {"freeze", "partial", "full"};
        List<JobRef> jobs = new ArrayList<>();
        for (String name : names) {
            jobs.add(new JobRef(TrainingJob.jobIdFor(experiment, name, 0L), experiment, name, 0L, 1));
        }
        ResultsClient client = new ResultsClient(stack.settings().resultsUrl());
        ResultsTraffic.announce(stack, client, List.of(jobs), 10);
        try (KafkaProducer<String, byte[]> producer =
                ResultsTraffic.producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
            long[] trainable = {14_666L, 8_398_858L, 11_181_642L};
            for (int s = 0; s < 3; s++) {
                JobRef job = jobs.get(s);
                String key = job.jobId().toString();
                String topic = Topic.TRAINING_EVENTS.topicName();
                producer.send(new ProducerRecord<>(
                        topic,
                        key,
                        EventCodec.toBytes(
                                JobStarted.of(job, DEVICE, 1, 10, trainable[s], 11_181_642L, "synthetic", true))));
                for (int e = 1; e <= 10; e++) {
                    producer.send(new ProducerRecord<>(
                            topic,
                            key,
                            EventCodec.toBytes(
                                    EpochCompleted.of(job, DEVICE, e, 10, 2.0 / e, 0.1 * e * 0.9, 100, 20, 0.5))));
                }
                producer.send(new ProducerRecord<>(
                        topic,
                        key,
                        EventCodec.toBytes(
                                JobCompleted.of(job, DEVICE, 0.5 + 0.1 * s, trainable[s], 11_181_642L, 1000, 10))));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var v = client.experiment(experiment);
            if (v.isPresent() && ResultsTraffic.countEpochs(v.get()) >= 30) {
                break;
            }
            Thread.sleep(50);
        }
        return experiment;
    }

    /**
     * Open-loop load: request i is due at start + i/rate and its latency counts from when it was due, so a slow
     * response delays nothing else and queueing shows in the figure. At most 64 requests are in flight; a request that
     * finds no slot is skipped and counted. Bounded in count (rate x seconds) and in time.
     */
    static LoadResult load(URI uri, int rate, int seconds) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int count = rate * seconds;
        double[] latencies = new double[count];
        boolean[] ok = new boolean[count];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger bytes = new AtomicInteger();
        Semaphore slots = new Semaphore(64);
        int skipped = 0;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long period = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!slots.tryAcquire()) {
                skipped++;
                continue;
            }
            int k = i;
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((resp, err) -> {
                        latencies[k] = (System.nanoTime() - due) / 1e6;
                        if (err == null && resp.statusCode() == 200) {
                            ok[k] = true;
                            bytes.set(resp.body().length);
                        } else {
                            errors.incrementAndGet();
                        }
                        slots.release();
                    }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Counted below: whatever did not complete is neither ok nor timed.
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<Double> good = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (ok[i]) {
                good.add(latencies[i]);
            }
        }
        return new LoadResult(Rows.array(good), errors.get(), skipped, wall, bytes.get());
    }
}
