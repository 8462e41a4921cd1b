package dev.tlab.cli.stack;

import dev.tlab.kafka.local.Secrets;
import java.nio.file.Path;

/**
 * The local stack's generated secrets, in {@code <work-dir>/secrets/} (owner-only; {@code .lab/} is git-ignored):
 * {@code trigger-token} for POST /experiments, {@code reader-token} for the trainers' data fetches, {@code plan-token}
 * for the dataset service's calls of the trainers' POST /plan, the broker's {@code kafka-users.properties} (every Kafka
 * user's password) and {@code trigger.kafka.properties} (the Kafka client settings of the {@code trigger} user). Made
 * on first use and kept, so the tokens stay the same between runs; delete a file to get a new one.
 */
public record StackSecrets(Path folder, String triggerToken, String readerToken, String planToken) {
    public static final String FOLDER = "secrets";

    public static StackSecrets createOrLoad(Path workDir) {
        Path folder = workDir.toAbsolutePath().resolve(FOLDER);
        return new StackSecrets(
                folder,
                Secrets.readOrCreate(folder.resolve("trigger-token")),
                Secrets.readOrCreate(folder.resolve("reader-token")),
                Secrets.readOrCreate(folder.resolve("plan-token")));
    }

    public Path triggerTokenFile() {
        return folder.resolve("trigger-token");
    }

    public Path kafkaUsersFile() {
        return folder.resolve("kafka-users.properties");
    }

    public Path triggerKafkaConfig() {
        return folder.resolve("trigger.kafka.properties");
    }

    /** Never the tokens themselves: this may end up in a log. */
    @Override
    public String toString() {
        return "StackSecrets[" + folder + "]";
    }
}
