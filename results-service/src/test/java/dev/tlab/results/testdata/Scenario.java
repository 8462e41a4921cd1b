package dev.tlab.results.testdata;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A scripted experiment as Kafka records, with what real systems do to messages: a duplicated epoch, epochs out of
 * order, a job that failed and was resumed by a second attempt (whose JobCompleted is also duplicated), a strategy that
 * only failed, and two seeds of one strategy.
 *
 * <p>Expected leaderboard: partial (mean of 0.84 and 0.82), full 0.80, freeze 0.70, then layer3-up (failed, unranked);
 * best = partial; dataset "synthetic-cifar" from the manifest, synthetic.
 */
public final class Scenario {
    public record Record(String topic, String key, String value) {}

    private Scenario() {}

    public static List<Record> records(UUID experimentId, Instant base) {
        Script s = new Script(experimentId, base);
        String manifestId = "m-" + experimentId.toString().substring(0, 8);
        List<Record> records = new ArrayList<>();
        records.add(new Record(
                Topic.DATASET_MANIFESTS.topicName(),
                manifestId,
                EventCodec.toJson(Script.manifest(manifestId, "synthetic-cifar", true))));
        for (String[] job : new String[][] {{"freeze", "0"}, {"partial", "0"}, {"partial", "1"}, {"full", "0"}}) {
            var trainingJob = s.job(job[0], Long.parseLong(job[1]), 1, manifestId, "synthetic-cifar", true, 3);
            records.add(new Record(
                    Topic.TRAINING_JOBS.topicName(), trainingJob.jobId().toString(), EventCodec.toJson(trainingJob)));
        }
        List<TrainingEvent> events = new ArrayList<>();
        // freeze: epochs 2 and 1 swapped, epoch 3 duplicated
        events.add(s.started("freeze", 0, 1, 1, 3, "synthetic-cifar", true));
        var f1 = s.epoch("freeze", 0, 1, 1, 3, 2.1, 0.30);
        var f2 = s.epoch("freeze", 0, 1, 2, 3, 1.8, 0.40);
        var f3 = s.epoch("freeze", 0, 1, 3, 3, 1.6, 0.45);
        events.add(f2);
        events.add(f1);
        events.add(f3);
        events.add(f3);
        events.add(s.completed("freeze", 0, 1, 0.70, 3));
        // partial, two seeds
        for (long seed = 0; seed <= 1; seed++) {
            events.add(s.started("partial", seed, 1, 1, 3, "synthetic-cifar", true));
            for (int e = 1; e <= 3; e++) {
                events.add(s.epoch("partial", seed, 1, e, 3, 1.5 / e, 0.5 + 0.1 * e));
            }
            events.add(s.completed("partial", seed, 1, seed == 0 ? 0.84 : 0.82, 3));
        }
        // full: attempt 1 fails after epoch 1; attempt 2 resumes at epoch 2 and completes (duplicate completion)
        events.add(s.started("full", 0, 1, 1, 3, "synthetic-cifar", true));
        events.add(s.epoch("full", 0, 1, 1, 3, 1.9, 0.35));
        events.add(s.failed("full", 0, 1, "CUDA out of memory"));
        events.add(s.started("full", 0, 2, 2, 3, "synthetic-cifar", true));
        events.add(s.epoch("full", 0, 2, 2, 3, 1.2, 0.60));
        events.add(s.epoch("full", 0, 2, 3, 3, 0.9, 0.70));
        var completedFull = s.completed("full", 0, 2, 0.80, 3);
        events.add(completedFull);
        events.add(completedFull);
        // a user strategy that never got going
        events.add(s.started("layer3-up", 0, 1, 1, 3, "synthetic-cifar", true));
        events.add(s.failed("layer3-up", 0, 1, "model not found: /models/x.pt"));
        for (TrainingEvent event : events) {
            records.add(
                    new Record(Topic.TRAINING_EVENTS.topicName(), experimentId.toString(), EventCodec.toJson(event)));
        }
        return records;
    }

    /** How many training-events records {@link #records} writes (duplicates included). */
    public static final int TRAINING_EVENT_RECORDS = 26;
}
