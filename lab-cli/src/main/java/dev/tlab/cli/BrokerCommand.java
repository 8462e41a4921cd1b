package dev.tlab.cli;

import dev.tlab.cli.stack.StackSecrets;
import dev.tlab.cli.stack.StackSettings;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.kafka.local.BrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Run the local Kafka broker (KRaft, single node) in the foreground; Ctrl-C stops it cleanly.",
            "Clients log in with SASL/SCRAM-SHA-512 and may do only what the lab's ACLs grant; the users' passwords "
                    + "are generated into <work-dir>/secrets/kafka-users.properties."
        })
class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--bind",
            defaultValue = StackSettings.LOOPBACK,
            paramLabel = "ADDRESS",
            description = "Address of the client listener (default ${DEFAULT-VALUE}: this machine only).")
    String bind;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--controller-port",
            defaultValue = "9093",
            description = "KRaft controller port, always on loopback (default ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
            names = "--work-dir",
            defaultValue = ".lab",
            description = "Broker data (kafka/, kept between runs) and secrets (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws InterruptedException {
        StackSecrets secrets = StackSecrets.createOrLoad(workDir);
        BrokerProcess broker = BrokerProcess.start(
                new BrokerProcess.Options(
                        workDir.resolve("kafka"), bind, port, controllerPort, secrets.kafkaUsersFile()),
                Duration.ofSeconds(120));
        broker.users().orElseThrow().writeClientConfig(KafkaAccess.Identity.TRIGGER, secrets.triggerKafkaConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the broker (controlled shutdown)...");
            broker.close();
            stopped.countDown();
        }));
        System.out.printf(
                "Kafka broker ready at %s in %d ms (data %s, log %s). Ctrl-C stops it.%n",
                broker.bootstrapServers(),
                broker.startTime().toMillis(),
                workDir.resolve("kafka").toAbsolutePath(),
                broker.logFile());
        System.out.printf(
                "Clients log in with SASL/%s: every user's password is in %s; the trigger user's client "
                        + "settings are in %s (./lab trigger uses them).%n",
                KafkaAccess.SASL_MECHANISM, secrets.kafkaUsersFile(), secrets.triggerKafkaConfig());
        stopped.await();
        return ExitCodes.OK;
    }
}
