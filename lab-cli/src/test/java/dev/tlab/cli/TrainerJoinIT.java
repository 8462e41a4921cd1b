package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.ServiceProcess;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trainer joins while a job runs, as a scale-up would start one (issue 29): the packaged services on the real broker,
 * one trainer training a job, then a second trainer started, again until the cooperative-sticky assignor moves the
 * running job's partition to the newcomer. The first trainer stops the job at a batch before it lets the partition go,
 * and the newcomer resumes it after its last completed epoch: the job completes once, every epoch is reported exactly
 * once, nothing is reported failed, and the experiment is completed.
 */
class TrainerJoinIT {
    private static final int EPOCHS = 40;
    private static final int MAX_JOINS = 3;
    private static final String GROUP = KafkaAccess.TRAINER_GROUP;
    private static final String JOBS = Topic.TRAINING_JOBS.topicName();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void startStackWithOneTrainer() {
        stack = TestStacks.start("join", 1, 10, Map.of());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTrainerJoiningWhileAJobRunsTakesItOverWithoutTrainingAnyEpochTwice() throws Exception {
        int partitions = Topic.TRAINING_JOBS.partitions();
        // one trainer owns every partition; when a second joins, AbstractStickyAssignor (kafka-clients 4.1) keeps the
        // lowest-numbered half with it and revokes the rest: a job there is the one whose partition moves
        UUID experimentId = experimentWhoseJobIsInPartitionAtLeast((partitions + 1) / 2, partitions);
        UUID jobId = TrainingJob.jobIdFor(experimentId, "full", 0);
        TopicPartition jobPartition = new TopicPartition(JOBS, partitionOf(jobId.toString(), partitions));
        ExperimentRequested request = ExperimentRequested.create(
                experimentId,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 10, 0L),
                List.of(StrategySpec.named("full")),
                HyperParameters.builder()
                        .epochs(EPOCHS)
                        .trainBatchSize(10)
                        .evalBatchSize(50)
                        .imageSize(32)
                        .build(),
                ModelSpec.trainerDefault(),
                List.of(0L));
        ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);
        ResultsClient results = new ResultsClient(stack.settings().resultsUrl());
        await(
                "the first epoch",
                Duration.ofMinutes(4),
                () -> experiment(results, experimentId)
                        .filter(e -> !e.strategies().isEmpty()
                                && !e.strategies().get(0).epochs().isEmpty()));

        ServiceProcess newcomer = null;
        for (int join = 1; join <= MAX_JOINS && newcomer == null; join++) {
            Set<String> before = members().keySet();
            ServiceProcess started = stack.addTrainer(line -> System.out.println("[join] " + line));
            Optional<String> owner = awaitStableGroup(before, jobPartition);
            System.out.printf(
                    "[join] join %d: the job's partition %s is now held by %s%n",
                    join, jobPartition, owner.map(m -> before.contains(m) ? "the first trainer" : "the newcomer"));
            if (owner.isPresent() && !before.contains(owner.get())) {
                newcomer = started;
            } else {
                started.close(); // leaves the group; its partitions go back to the first trainer, and we try again
            }
        }
        assertTrue(newcomer != null, "the running job's partition never moved in " + MAX_JOINS + " joins");

        Views.Experiment done = await(
                "the experiment to complete",
                Duration.ofMinutes(6),
                () -> experiment(results, experimentId).filter(e -> "completed".equals(e.state())));
        assertEquals("completed", done.state());

        List<TrainingEvent> events = eventsOf(experimentId);
        assertEquals(
                IntStream.rangeClosed(1, EPOCHS).boxed().toList(),
                events.stream()
                        .filter(EpochCompleted.class::isInstance)
                        .map(e -> ((EpochCompleted) e).epoch())
                        .toList(),
                "every epoch reported exactly once");
        assertEquals(1, events.stream().filter(JobCompleted.class::isInstance).count(), "completed once");
        assertEquals(
                List.of(), events.stream().filter(JobFailed.class::isInstance).toList(), "nothing failed");
        List<JobStarted> starts = events.stream()
                .filter(JobStarted.class::isInstance)
                .map(JobStarted.class::cast)
                .toList();
        JobStarted resumed = starts.get(starts.size() - 1);
        assertTrue(starts.size() >= 2 && resumed.startEpoch() > 1, "the newcomer resumed the job: " + starts);
        assertEquals("trainer-1", resumed.environment().instance(), "on the newcomer: " + resumed);
        JobCompleted completed = (JobCompleted) events.stream()
                .filter(JobCompleted.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals(resumed.job().attempt(), completed.job().attempt(), "the resumed run completed it");
        assertTrue(
                metrics(stack.settings().trainerPort())
                        .contains("tl_trainer_jobs_interrupted_total{reason=\"revoked\"} 1.0"),
                "the first trainer stopped the job for the revocation");
    }

    private static UUID experimentWhoseJobIsInPartitionAtLeast(int lowest, int partitions) {
        while (true) {
            UUID experiment = UUID.randomUUID();
            if (partitionOf(TrainingJob.jobIdFor(experiment, "full", 0).toString(), partitions) >= lowest) {
                return experiment;
            }
        }
    }

    /** Kafka's default partitioner for a keyed record (BuiltInPartitioner.partitionForKey); jobs are keyed by id. */
    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Waits until the group has a member besides {@code before} and every partition of training-jobs is assigned (the
     * cooperative protocol's second rebalance is done); the member that holds the job's partition then.
     */
    private static Optional<String> awaitStableGroup(Set<String> before, TopicPartition jobPartition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Set<TopicPartition>> members = members();
            long assigned = members.values().stream().mapToLong(Set::size).sum();
            if (members.keySet().stream().anyMatch(m -> !before.contains(m))
                    && assigned == Topic.TRAINING_JOBS.partitions()
                    && members.values().stream().noneMatch(Set::isEmpty)) {
                return members.entrySet().stream()
                        .filter(e -> e.getValue().contains(jobPartition))
                        .map(Map.Entry::getKey)
                        .findFirst();
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    /** The trainers' group: each member's id and the partitions of training-jobs it holds. */
    private static Map<String, Set<TopicPartition>> members() throws InterruptedException {
        try (Admin admin = Admin.create(stack.superUserClientConfig())) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups()
                    .get(GROUP)
                    .get();
            Map<String, Set<TopicPartition>> members = new HashMap<>();
            for (MemberDescription member : group.members()) {
                members.put(
                        member.consumerId(),
                        member.assignment().topicPartitions().stream()
                                .filter(p -> p.topic().equals(JOBS))
                                .collect(Collectors.toSet()));
            }
            return members;
        } catch (ExecutionException e) {
            return Map.of();
        }
    }

    /** Every event of the experiment on training-events, read to the topic's end as the broker's super user. */
    private static List<TrainingEvent> eventsOf(UUID experimentId) {
        Map<String, Object> config = new HashMap<>(stack.superUserClientConfig());
        List<TrainingEvent> events = new ArrayList<>();
        String topic = Topic.TRAINING_EVENTS.topicName();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (experimentId.toString().equals(r.key())) {
                        events.add(EventCodec.fromJson(r.value(), TrainingEvent.class));
                    }
                });
            }
        }
        return events;
    }

    private static String metrics(int port) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Optional<Views.Experiment> experiment(ResultsClient results, UUID experimentId) {
        try {
            return results.experiment(experimentId);
        } catch (RuntimeException notYet) {
            return Optional.empty();
        }
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    private static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            stack.check(System.out::println);
            Thread.sleep(250);
        }
        throw new AssertionError("waited " + timeout + " for " + what);
    }
}
