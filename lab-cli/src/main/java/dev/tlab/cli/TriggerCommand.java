package dev.tlab.cli;

import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.ExperimentSubmission;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Publish an ExperimentRequested to the experiments topic; prints the experiment id.")
class TriggerCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Mixin
    ExperimentOptions experiment;

    @Override
    public Integer call() {
        ExperimentRequested request = experiment.toSubmission(
                new ExperimentSubmission(null, null, null, null, null, null, null)).toEvent();
        ExperimentPublisher.publish(bootstrapServers, request);
        System.out.println(request.experimentId());
        return ExitCodes.OK;
    }
}
