package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.StackSettings;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The system figures of SPEC section 8 on lab-cli's local stack (a real KRaft broker and the three packaged services as
 * processes, free loopback ports): request-to-JobStarted and request-to-first-EpochCompleted, the results service's
 * ingest rate, and GET /experiments/{id} latency under a fixed request rate.
 */
final class StackBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "cpu";

    private final Path root;
    private final Path work;
    private final Consumer<ObjectNode> sink;
    private final boolean quick;

    StackBench(Path root, Path work, Consumer<ObjectNode> sink, boolean quick) {
        this.root = root;
        this.work = work;
        this.sink = sink;
        this.quick = quick;
    }

    /** Which packaged services are missing (their quarkus-run.jar), empty when the stack can start. */
    static List<String> missingJars(Path root) {
        List<String> missing = new ArrayList<>();
        for (String s : List.of("dataset-service", "trainer-service", "results-service")) {
            Path jar = root.resolve(s).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                missing.add(root.relativize(jar).toString());
            }
        }
        return missing;
    }

    void run(boolean pipeline, boolean results) throws Exception {
        Files.createDirectories(work);
        if (pipeline) {
            try (LocalStack stack = start("stack", 1)) {
                pipeline(stack);
            }
        }
        if (results) {
            // No trainer: the results cases announce their experiments with TrainingJobs on training-jobs, as the
            // dataset service does, and a trainer would take those jobs and train them while the service ingests.
            try (LocalStack stack = start("results-stack", 0)) {
                // Many experiments of the notebook's shape, then the few large ones. The first run meets a
                // service whose JIT has compiled little of the event path yet: it is reported apart, as the cold
                // figure, and the same shape is measured again into new experiments.
                // The warm figure is the median of three runs after two warm-up runs (reported, not counted): on two
                // shared CPUs the JIT of the service and of the broker keeps compiling the event path through the
                // first 60,000-90,000 events (runs of 19,000, 26,000, then 34,000-39,000 events/s), so the runs
                // right after the cold one said more about when they were taken than about a running service.
                int notebook = quick ? 100 : 1000;
                ingest(stack, notebook, 3, 10, "notebook-shaped experiments (3 jobs x 10 epochs), cold service", 0, 1);
                ingest(
                        stack,
                        notebook,
                        3,
                        10,
                        "notebook-shaped experiments (3 jobs x 10 epochs)",
                        quick ? 0 : 2,
                        quick ? 1 : 3);
                ingest(stack, 4, quick ? 5 : 25, 1000, "few large experiments (25 jobs x 1,000 epochs)", 0, 1);
                latency(stack);
            }
        }
    }

    /** The local stack with {@code trainers} trainers, on free ports; its start time goes to the report. */
    private LocalStack start(String section, int trainers) throws IOException {
        int kafka = freePortPair();
        StackSettings settings = new StackSettings(
                root,
                work.resolve(section),
                StackSettings.LOOPBACK,
                kafka,
                freePort(),
                freePort(),
                freePort(),
                trainers,
                Map.of(
                        "tlab.dataset.synthetic.images-per-class",
                        "20",
                        "tlab.dataset.synthetic.test-images-per-class",
                        "10"),
                Map.of("tlab.trainer.device", "cpu", "tlab.trainer.data-threads", "1"),
                Map.of());
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(settings, line -> System.out.println("[stack] " + line));
        ObjectNode up = node(section);
        up.put("startSeconds", (System.nanoTime() - t0) / 1e9).put("trainers", trainers);
        sink.accept(up);
        return stack;
    }

    // ---------------------------------------------------------------- request -> JobStarted -> first epoch

    private void pipeline(LocalStack stack) throws Exception {
        int runs = quick ? 2 : 5;
        List<Double> toStart = new ArrayList<>();
        List<Double> toEpoch = new ArrayList<>();
        try (KafkaConsumer<String, String> events = tail(stack.clientConfig(KafkaAccess.Identity.VIEWER))) {
            for (int run = 1; run <= runs; run++) {
                UUID id = UUID.randomUUID();
                HyperParameters hp = new HyperParameters(1, 16, 50, null, null, null, null, null, null, 16, null, null);
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
                ObjectNode n = node("pipeline-run");
                n.put("run", run).put("toJobStartedSeconds", started).put("toFirstEpochSeconds", epoch);
                sink.accept(n);
                toStart.add(started);
                toEpoch.add(epoch);
            }
        }
        ObjectNode n = node("request-latency");
        n.put("runs", runs)
                .put("firstRunToJobStartedSeconds", toStart.get(0))
                .put("firstRunToFirstEpochSeconds", toEpoch.get(0))
                .put("medianToJobStartedSeconds", Stats.median(array(toStart)))
                .put("medianToFirstEpochSeconds", Stats.median(array(toEpoch)))
                .put("medianWarmToJobStartedSeconds", Stats.median(array(toStart.subList(1, runs))))
                .put("medianWarmToFirstEpochSeconds", Stats.median(array(toEpoch.subList(1, runs))))
                .put(
                        "experiment",
                        "synthetic, 8 images per class, 16 px, 1 strategy (freeze), 1 epoch, batch 16, "
                                + "the narrow demo model, 1 trainer");
        sink.accept(n);
    }

    private static KafkaConsumer<String, String> tail(Map<String, Object> client) {
        Map<String, Object> config = new java.util.HashMap<>(client);
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

    // ---------------------------------------------------------------- results ingest

    /**
     * {@code warmUps} runs of the shape, then {@code runs} more, each into new experiments; the report gives the median
     * of the latter, every run, and the warm-up runs apart.
     */
    private void ingest(
            LocalStack stack, int experiments, int jobsPerExperiment, int epochs, String shape, int warmUps, int runs)
            throws Exception {
        List<Double> warmUpRates = new ArrayList<>();
        for (int run = 0; run < warmUps; run++) {
            ObjectNode warmUp = ingestOnce(stack, experiments, jobsPerExperiment, epochs);
            warmUpRates.add(warmUp.path("eventsPerSecond").asDouble());
        }
        List<ObjectNode> measured = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            measured.add(ingestOnce(stack, experiments, jobsPerExperiment, epochs));
        }
        double[] rates = measured.stream()
                .mapToDouble(m -> m.path("eventsPerSecond").asDouble())
                .toArray();
        double median = Stats.median(rates);
        ObjectNode n = measured.stream()
                .filter(m -> m.path("eventsPerSecond").asDouble() == median)
                .findFirst()
                .orElse(measured.get(0));
        n.put("shape", shape).put("runs", runs);
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
    private ObjectNode ingestOnce(LocalStack stack, int experiments, int jobsPerExperiment, int epochs)
            throws Exception {
        int total = experiments * jobsPerExperiment * epochs;
        ResultsClient client = new ResultsClient(stack.settings().resultsUrl());
        int partitions;
        try (KafkaProducer<String, byte[]> producer = producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
            partitions =
                    producer.partitionsFor(Topic.TRAINING_EVENTS.topicName()).size();
        }
        // The experiments are announced before the clock starts, as the dataset service announces them (its
        // TrainingJobs); training events of an experiment nobody announced are kept apart and never shown.
        List<List<JobRef>> jobs = new ArrayList<>();
        for (int x = 0; x < experiments; x++) {
            jobs.add(jobs(UUID.randomUUID(), jobsPerExperiment));
        }
        // One marker job per partition, published after everything else: the service consumes each partition in
        // order, so when the marker experiment shows every marker job's epoch, every event before them is ingested.
        UUID marker = UUID.randomUUID();
        List<JobRef> markers = jobs(marker, partitions);
        List<List<JobRef>> announced = new ArrayList<>(jobs);
        announced.add(markers);
        announce(stack, client, announced, epochs);
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
        try (KafkaProducer<String, byte[]> producer = producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
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
            if (view.isPresent() && countEpochs(view.get()) >= partitions) {
                seen = (System.nanoTime() - t0) / 1e9;
                break;
            }
            Thread.sleep(20);
        }
        System.out.printf("[stack] %d events published in %.2f s, ingested after %.2f s%n", total, published, seen);
        ObjectNode n = node("results-ingest");
        n.put("events", total + partitions)
                .put("experiments", experiments + 1)
                .put("publishSeconds", published)
                .put("ingestedSeconds", seen)
                .put("eventsPerSecond", Stats.rate(total + partitions, seen))
                .put("publishEventsPerSecond", Stats.rate(total + partitions, published))
                .put("partitions", partitions);
        return n;
    }

    /** The jobs of one experiment: strategies s0, s1, ... with seed 0, ids as the dataset service derives them. */
    private static List<JobRef> jobs(UUID experiment, int count) {
        List<JobRef> jobs = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            String strategy = "s" + j;
            jobs.add(new JobRef(TrainingJob.jobIdFor(experiment, strategy, 0L), experiment, strategy, 0L, 1));
        }
        return jobs;
    }

    /**
     * Publishes a TrainingJob per job as the dataset service does (its Kafka user, key jobId) and waits until the
     * results service lists every experiment. The stack of the results cases runs no trainer, so nobody trains them.
     */
    private static void announce(LocalStack stack, ResultsClient client, List<List<JobRef>> all, int epochs)
            throws Exception {
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

    /** A built-in strategy by its name; the bench's own names (s0, s1, ...) train the head only, like freeze. */
    private static StrategySpec strategy(String name) {
        return StrategySpec.BUILT_IN.containsKey(name)
                ? StrategySpec.named(name)
                : new StrategySpec(name, List.of("fc.*"));
    }

    private static int countEpochs(Views.Experiment experiment) {
        return experiment.strategies().stream()
                .flatMap(s -> s.runs().stream())
                .mapToInt(Views.Run::epochsCompleted)
                .sum();
    }

    /** Training events written as the trainers write them (their Kafka user). */
    private static KafkaProducer<String, byte[]> producer(Map<String, Object> client) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    // ---------------------------------------------------------------- GET /experiments/{id} under load

    private void latency(LocalStack stack) throws Exception {
        // A finished experiment of the notebook's shape: three strategies, ten epochs each.
        UUID experiment = UUID.randomUUID();
        String[] names = {"freeze", "partial", "full"};
        List<JobRef> jobs = new ArrayList<>();
        for (String name : names) {
            jobs.add(new JobRef(TrainingJob.jobIdFor(experiment, name, 0L), experiment, name, 0L, 1));
        }
        ResultsClient client = new ResultsClient(stack.settings().resultsUrl());
        announce(stack, client, List.of(jobs), 10);
        try (KafkaProducer<String, byte[]> producer = producer(stack.clientConfig(KafkaAccess.Identity.TRAINER))) {
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
            if (v.isPresent() && countEpochs(v.get()) >= 30) {
                break;
            }
            Thread.sleep(50);
        }
        URI uri = URI.create(stack.settings().resultsUrl() + "/experiments/" + experiment);
        int rate = 200;
        int seconds = quick ? 5 : 20;
        LoadResult warm = load(uri, rate, Math.min(5, seconds));
        LoadResult r = load(uri, rate, seconds);
        System.out.printf(
                "[stack] GET /experiments/{id}: %d requests at %d/s, p50 %.2f ms, p99 %.2f ms%n",
                r.latenciesMs.length, rate, Stats.percentile(r.latenciesMs, 50), Stats.percentile(r.latenciesMs, 99));
        ObjectNode n = node("results-latency");
        n.put("path", "/experiments/{id}")
                .put("targetRate", rate)
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

    record LoadResult(double[] latenciesMs, int errors, int skipped, double wallSeconds, int responseBytes) {}

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
        return new LoadResult(array(good), errors.get(), skipped, wall, bytes.get());
    }

    static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static ObjectNode node(String section) {
        ObjectNode n = JSON.createObjectNode();
        n.put("section", section);
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose successor is free too (the local broker puts its controller on port + 1). */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = freePort();
            try (ServerSocket next = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no two consecutive free ports found");
    }
}
