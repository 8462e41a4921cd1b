package dev.tlab.cli.stack;

import dev.tlab.kafka.local.BrokerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** The broker and the three packaged services on one machine, no Docker. Closing stops everything it started. */
public final class LocalStack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** libgomp spin-waits on a shared CPU; DJL must never try to download natives or models here. */
    private static final Map<String, String> TRAINER_ENVIRONMENT = Map.of("OMP_WAIT_POLICY", "PASSIVE");

    private final StackSettings settings;
    private final BrokerProcess broker;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());

    private LocalStack(StackSettings settings, BrokerProcess broker) {
        this.settings = settings;
        this.broker = broker;
    }

    public static LocalStack start(StackSettings settings, Consumer<String> progress) {
        progress.accept("starting the Kafka broker...");
        BrokerProcess broker = BrokerProcess.start(settings.workDir().resolve("kafka"), settings.kafkaPort(),
                settings.kafkaPort() + 1, START_TIMEOUT);
        progress.accept("Kafka ready at " + broker.bootstrapServers() + " in " + broker.startTime().toMillis() + " ms");
        LocalStack stack = new LocalStack(settings, broker);
        try {
            String bootstrap = broker.bootstrapServers();
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            starting.add(stack.startAsync("results-service", settings.resultsPort(),
                    settings.resultsProperties(bootstrap), Map.of(), progress));
            starting.add(stack.startAsync("dataset-service", settings.datasetPort(),
                    settings.datasetProperties(bootstrap), Map.of(), progress));
            for (int i = 0; i < settings.trainers(); i++) {
                starting.add(stack.startAsync("trainer-service", settings.trainerPort() + i,
                        settings.trainerProperties(bootstrap, i), TRAINER_ENVIRONMENT, progress));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private CompletableFuture<Void> startAsync(String service, int port, Map<String, String> config,
            Map<String, String> environment, Consumer<String> progress) {
        return CompletableFuture.runAsync(() -> {
            String logName = service + (service.equals("trainer-service") ? "-" + port : "") + ".log";
            ServiceProcess process = ServiceProcess.start(service, settings.jar(service), port, config, environment,
                    settings.workDir().resolve("logs").resolve(logName), START_TIMEOUT);
            services.add(process);
            progress.accept(service + " ready at " + process.baseUrl() + " (log " + process.logFile() + ")");
        });
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public StackSettings settings() {
        return settings;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public boolean allAlive() {
        return broker.isAlive() && services.stream().allMatch(ServiceProcess::isAlive);
    }

    /** Services first (they leave their consumer groups), the broker last. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ServiceProcess service : services()) {
            stopping.add(CompletableFuture.runAsync(service::close));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        broker.close();
    }
}
