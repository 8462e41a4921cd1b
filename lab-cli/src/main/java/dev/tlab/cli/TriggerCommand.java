package dev.tlab.cli;

import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.UnreachableException;
import dev.tlab.cli.stack.StackSecrets;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.api.Views;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = "Publish an ExperimentRequested to the experiments topic; prints the experiment id.")
class TriggerCommand implements Callable<Integer> {
    static final Path LOCAL_TRIGGER_CONFIG = Path.of(".lab", StackSecrets.FOLDER, "trigger.kafka.properties");

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties with the login of a user that may write experiments (security.protocol, "
                            + "sasl.mechanism, sasl.jaas.config). Default: the local broker's trigger user, "
                            + "${DEFAULT-VALUE} when it exists (./lab broker and ./lab run write it).",
            defaultValue = ".lab/secrets/trigger.kafka.properties")
    Path kafkaConfig;

    @Mixin
    ExperimentOptions experiment;

    @Option(
            names = "--like",
            paramLabel = "EXPERIMENT_ID",
            description =
                    "Submit the exact request of this experiment again (as the results service recorded it), under"
                            + " a new id; other options override its fields.")
    UUID like;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        ExperimentSubmission base = new ExperimentSubmission(null, null, null, null, null, null, null);
        if (like != null) {
            Optional<Views.Experiment> recorded = results.client().experiment(like);
            if (recorded.isEmpty()) {
                System.err.println("--like: no experiment " + like + " at " + results.resultsUrl);
                return ExitCodes.EXPERIMENT_FAILED;
            }
            try {
                base = RecordedRequest.of(like, recorded.get());
            } catch (IllegalArgumentException e) {
                System.err.println("--like: " + e.getMessage());
                return ExitCodes.EXPERIMENT_FAILED;
            }
        }
        ExperimentRequested request = experiment.toSubmission(base).toEvent();
        if (!Files.isRegularFile(kafkaConfig) && !kafkaConfig.equals(LOCAL_TRIGGER_CONFIG)) {
            System.err.println("--kafka-config: " + kafkaConfig + " does not exist");
            return ExitCodes.USAGE;
        }
        Map<String, Object> client = clientConfig();
        try {
            ExperimentPublisher.publish(client, request);
        } catch (UnreachableException e) {
            if (client.containsKey("sasl.jaas.config")) {
                throw e;
            }
            // An authenticating broker just drops a client that does not log in; say what is likely missing.
            throw new UnreachableException(
                    e.getMessage() + " (no Kafka login was given: the lab's brokers need one, " + "e.g. --kafka-config "
                            + LOCAL_TRIGGER_CONFIG + ")",
                    e);
        }
        System.out.println(request.experimentId());
        return ExitCodes.OK;
    }

    /**
     * The properties file when there is one (without it: a broker without authentication), and the bootstrap address.
     */
    private Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        if (Files.isRegularFile(kafkaConfig)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(kafkaConfig)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + kafkaConfig, e);
            }
            properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        }
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }
}
