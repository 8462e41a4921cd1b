package dev.tlab.cli;

import dev.tlab.kafka.local.BrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run the local Kafka broker (KRaft, single node) in the foreground; Ctrl-C stops it cleanly.")
class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port (default ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--data-dir", defaultValue = ".lab/kafka", description = "Kept between runs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        BrokerProcess broker = BrokerProcess.start(dataDir, port, controllerPort, Duration.ofSeconds(120));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the broker (controlled shutdown)...");
            broker.close();
            stopped.countDown();
        }));
        System.out.printf("Kafka broker ready at %s in %d ms (data %s, log %s). Ctrl-C stops it.%n",
                broker.bootstrapServers(), broker.startTime().toMillis(), dataDir.toAbsolutePath(), broker.logFile());
        stopped.await();
        return ExitCodes.OK;
    }
}
