package dev.tlab.cli.stack;

import dev.tlab.contracts.KafkaAccess;
import dev.tlab.kafka.local.BrokerProcess;
import dev.tlab.kafka.local.KafkaUsers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The broker and the three packaged services on one machine, no Docker. Closing stops everything it started.
 *
 * <p>Nothing is open: the broker requires SASL/SCRAM and enforces the lab's ACLs, each service logs in as its own Kafka
 * user, POST /experiments needs the trigger token and the data needs the reader token, all generated into
 * {@link StackSecrets}; and everything listens on {@link StackSettings#bindAddress()} (loopback by default).
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private final StackSettings settings;
    private final StackSecrets secrets;
    private final BrokerProcess broker;
    /** Every trainer's native settings, the allocator included, decided once for the stack. */
    private final Map<String, String> trainerNatives;

    private static final String TRAINER = "trainer-service";

    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<ServiceProcess> reportedDead = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LocalStack(
            StackSettings settings, StackSecrets secrets, BrokerProcess broker, Map<String, String> trainerNatives) {
        this.settings = settings;
        this.secrets = secrets;
        this.broker = broker;
        this.trainerNatives = trainerNatives;
    }

    public static LocalStack start(StackSettings settings, Consumer<String> progress) {
        // before the broker: a TLAB_TRAINER_ALLOCATOR that cannot be met fails the start with nothing to stop
        // the trainers this stack starts share this machine's CPUs: libgomp spins only for a trainer alone on them
        Map<String, String> trainerNatives = NativeEnvironment.trainer(settings.trainers());
        StackSecrets secrets = StackSecrets.createOrLoad(settings.workDir());
        progress.accept("starting the Kafka broker...");
        BrokerProcess broker = BrokerProcess.start(
                new BrokerProcess.Options(
                        settings.workDir().resolve("kafka"),
                        settings.bindAddress(),
                        settings.kafkaPort(),
                        settings.kafkaPort() + 1,
                        secrets.kafkaUsersFile()),
                START_TIMEOUT);
        KafkaUsers users = broker.users().orElseThrow();
        users.writeClientConfig(KafkaAccess.Identity.TRIGGER, secrets.triggerKafkaConfig());
        progress.accept("Kafka ready at " + broker.bootstrapServers() + " in "
                + broker.startTime().toMillis() + " ms (SASL/" + KafkaAccess.SASL_MECHANISM + "; secrets in "
                + secrets.folder() + ")");
        progress.accept("trainers' allocator: " + NativeEnvironment.describeAllocator(trainerNatives));
        progress.accept("trainers' idle OpenMP workers: " + NativeEnvironment.describeOpenMp(trainerNatives));
        LocalStack stack = new LocalStack(settings, secrets, broker, trainerNatives);
        try {
            String bootstrap = broker.bootstrapServers();
            List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
            starting.add(stack.startAsync(
                    "results-service",
                    settings.resultsPort(),
                    settings.resultsProperties(bootstrap),
                    stack.environment(KafkaAccess.Identity.RESULTS_SERVICE, Map.of()),
                    progress));
            starting.add(stack.startAsync(
                    "dataset-service",
                    settings.datasetPort(),
                    settings.datasetProperties(bootstrap),
                    stack.environment(
                            KafkaAccess.Identity.DATASET_SERVICE,
                            Map.of(
                                    "TLAB_DATASET_TRIGGER_TOKEN",
                                    secrets.triggerToken(),
                                    "TLAB_DATASET_READER_TOKEN",
                                    secrets.readerToken(),
                                    "TLAB_DATASET_PLAN_TOKEN",
                                    secrets.planToken())),
                    progress));
            for (int i = 0; i < settings.trainers(); i++) {
                starting.add(stack.startTrainer(i, progress));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Starts one more trainer (the next port after the running ones), as a scale-up would, and waits until it is ready;
     * it joins the trainers' consumer group as soon as its training device passed its check.
     */
    public ServiceProcess addTrainer(Consumer<String> progress) {
        int index =
                (int) services().stream().filter(s -> s.name().equals(TRAINER)).count();
        return startTrainer(index, progress).join();
    }

    private CompletableFuture<ServiceProcess> startTrainer(int index, Consumer<String> progress) {
        Map<String, String> environment = new HashMap<>(trainerNatives);
        environment.put("TLAB_TRAINER_DATASET_TOKEN", secrets.readerToken());
        environment.put("TLAB_TRAINER_PLAN_TOKEN", secrets.planToken());
        return startAsync(
                TRAINER,
                settings.trainerPort() + index,
                settings.trainerProperties(broker.bootstrapServers(), index),
                environment(KafkaAccess.Identity.TRAINER, environment),
                progress);
    }

    /** The service's Kafka login as environment variables (the keys of its application.properties), plus extras. */
    private Map<String, String> environment(KafkaAccess.Identity identity, Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>(extra);
        broker.users()
                .orElseThrow()
                .clientProperties(identity)
                .forEach((key, value) -> environment.put(
                        "KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
        return environment;
    }

    private CompletableFuture<ServiceProcess> startAsync(
            String service,
            int port,
            Map<String, String> config,
            Map<String, String> environment,
            Consumer<String> progress) {
        return CompletableFuture.supplyAsync(() -> {
            String logName = service + (service.equals(TRAINER) ? "-" + port : "") + ".log";
            ServiceProcess process = ServiceProcess.start(
                    service,
                    settings.jar(service),
                    settings.host(),
                    port,
                    config,
                    environment,
                    logFolder().resolve(logName),
                    START_TIMEOUT);
            services.add(process);
            progress.accept(service + " ready at " + process.baseUrl() + " (log " + process.logFile() + ")");
            return process;
        });
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Kafka client settings (bootstrap, SASL/SCRAM, JAAS line) to reach the stack's broker as {@code identity}. */
    public Map<String, Object> clientConfig(KafkaAccess.Identity identity) {
        return broker.clientConfig(identity.userName());
    }

    /** The broker's own super user, for what no service identity may do (e.g. read the dead-letter topics). */
    public Map<String, Object> superUserClientConfig() {
        return broker.clientConfig(KafkaUsers.ADMIN);
    }

    public StackSettings settings() {
        return settings;
    }

    public StackSecrets secrets() {
        return secrets;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The process ids of the broker and every service. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(broker.pid());
        services().forEach(s -> pids.add(s.pid()));
        return pids;
    }

    public boolean allAlive() {
        return broker.isAlive() && services.stream().allMatch(ServiceProcess::isAlive);
    }

    /** The folder of every service's log (and crash report). */
    public Path logFolder() {
        return settings.workDir().resolve("logs");
    }

    /**
     * Looks at every process of the stack: reports each newly dead one once (a trainer's death is survivable: its job
     * resumes on another trainer), and throws when the stack cannot go on (the broker, the dataset or results service,
     * or every trainer is gone), naming the logs to read.
     */
    public void check(Consumer<String> report) {
        for (ServiceProcess service : services()) {
            if (!service.isAlive() && reportedDead.add(service)) {
                report.accept(service.name() + " at " + service.baseUrl() + " (pid " + service.pid()
                        + ") died with exit code "
                        + service.exitCode() + "; its log: " + service.logFile()
                        + (service.name().equals(TRAINER) && trainersAlive() > 0
                                ? ". Its job resumes on another trainer (" + trainersAlive() + " still running)."
                                : "."));
            }
        }
        if (!broker.isAlive()) {
            throw new IllegalStateException("the Kafka broker of the local stack stopped; see "
                    + settings.workDir().resolve("kafka") + " and the service logs under " + logFolder());
        }
        for (ServiceProcess service : services()) {
            if (!service.isAlive() && !service.name().equals(TRAINER)) {
                throw new IllegalStateException(service.name() + " of the local stack stopped (exit code "
                        + service.exitCode() + "); see " + service.logFile() + " (all logs under " + logFolder() + ")");
            }
        }
        if (settings.trainers() > 0 && trainersAlive() == 0) {
            throw new IllegalStateException(
                    "every trainer of the local stack stopped; see the trainer-service logs under " + logFolder());
        }
    }

    private long trainersAlive() {
        return services().stream()
                .filter(s -> s.name().equals(TRAINER) && s.isAlive())
                .count();
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
