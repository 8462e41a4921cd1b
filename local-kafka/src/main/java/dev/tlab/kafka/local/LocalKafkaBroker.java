package dev.tlab.kafka.local;

import dev.tlab.contracts.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process) on loopback, with every
 * topic of {@link Topic} created. Run it directly (Ctrl-C stops it cleanly) or through {@link BrokerProcess}.
 *
 * <p>Arguments: {@code --port N} (default 9092), {@code --controller-port N} (default port + 1),
 * {@code --data-dir DIR} (default {@code .lab/kafka}), {@code --watch-stdin} (stop when standard input closes, so the
 * broker dies with the process that launched it).
 */
public final class LocalKafkaBroker {
    /** Printed on standard output once the broker accepts clients and the topics exist. */
    public static final String READY_PREFIX = "LOCAL-KAFKA READY ";
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    LocalKafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        LocalKafkaBroker broker = new LocalKafkaBroker(arguments.dataDir(), arguments.port(), arguments.controllerPort());
        long started = System.nanoTime();
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "local-kafka-shutdown"));
        System.out.printf("%s%s in %d ms (data %s)%n", READY_PREFIX, broker.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, broker.dataDir);
        System.out.flush();
        if (arguments.watchStdin()) {
            drainUntilClosed(System.in);
            System.exit(0); // runs the shutdown hook: controlled shutdown, so a restart on this folder is clean
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    void start() throws Exception {
        Files.createDirectories(dataDir);
        formatStorageOnce();
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        createTopics();
    }

    void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Without it a restart on the same folder stalls on "another broker is registered with that id".
        p.put("controlled.shutdown.enable", "true");
        // Compaction is visible within seconds instead of minutes; harmless for a local broker.
        p.put("log.cleaner.backoff.ms", "500");
        return p;
    }

    /** Formatting a folder that already holds a cluster fails ("Invalid cluster.id"), so format only a new one. */
    private void formatStorageOnce() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(Set.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    /**
     * Creates the topics that are missing and sets the settings of those that exist (a data folder from an older
     * build keeps its topics, but must get today's limits, e.g. {@code max.message.bytes}).
     */
    private void createTopics() throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> topics = java.util.Arrays.stream(Topic.values())
                    .map(t -> new NewTopic(t.topicName(), t.partitions(), t.localReplicationFactor()).configs(t.config()))
                    .toList();
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> existing = new java.util.HashMap<>();
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    existing.put(new ConfigResource(ConfigResource.Type.TOPIC, result.getKey()),
                            Topic.byName(result.getKey()).config().entrySet().stream()
                                    .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()),
                                            AlterConfigOp.OpType.SET))
                                    .toList());
                }
            }
            if (!existing.isEmpty()) {
                admin.incrementalAlterConfigs(existing).all().get();
                awaitSettings(admin, existing.keySet());
            }
        }
    }

    /** A change reaches the broker's metadata a moment after the controller took it: READY means it is in effect. */
    private static void awaitSettings(Admin admin, java.util.Set<ConfigResource> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            var described = admin.describeConfigs(topics).all().get();
            boolean applied = described.entrySet().stream().allMatch(e -> Topic.byName(e.getKey().name()).config()
                    .entrySet().stream().allMatch(c -> e.getValue().get(c.getKey()) != null
                            && c.getValue().equals(e.getValue().get(c.getKey()).value())));
            if (applied || System.nanoTime() > deadline) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static void drainUntilClosed(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the launcher writes nothing; closing the stream is the stop signal
            }
        } catch (IOException e) {
            // a broken pipe means the launcher is gone: stop as well
        }
    }

    record Arguments(int port, int controllerPort, Path dataDir, boolean watchStdin) {
        static Arguments parse(String[] args) {
            int port = 9092;
            Integer controllerPort = null;
            Path dataDir = Path.of(".lab", "kafka");
            boolean watchStdin = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--controller-port" -> controllerPort = Integer.parseInt(value(args, ++i, "--controller-port"));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                    case "--watch-stdin" -> watchStdin = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; usage: [--port 9092] [--controller-port 9093] [--data-dir .lab/kafka] [--watch-stdin]");
                }
            }
            return new Arguments(port, controllerPort == null ? port + 1 : controllerPort, dataDir, watchStdin);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }
}
