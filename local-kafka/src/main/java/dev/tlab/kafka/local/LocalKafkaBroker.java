package dev.tlab.kafka.local;

import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process) on loopback, with every topic
 * of {@link Topic} created. Run it directly (Ctrl-C stops it cleanly) or through {@link BrokerProcess}.
 *
 * <p>With a users file ({@link KafkaUsers}) clients must log in with SASL/SCRAM-SHA-512 and may do only what
 * {@link dev.tlab.contracts.KafkaAccess} grants (Kafka's StandardAuthorizer, applied by {@link AccessControl}); the
 * controller listener uses SASL/PLAIN with a password made afresh at each start, known only to this process. Without
 * one, everything is PLAINTEXT and open.
 *
 * <p>Arguments: {@code --port N} (default 9092), {@code --controller-port N} (default port + 1), {@code --data-dir DIR}
 * (default {@code .lab/kafka}), {@code --host ADDRESS} (client listener address, default 127.0.0.1; the controller
 * listener stays on loopback), {@code --users FILE} (require authentication; the file is created with generated
 * passwords when missing), {@code --watch-stdin} (stop when standard input closes, so the broker dies with the process
 * that launched it).
 */
public final class LocalKafkaBroker {
    /** Printed on standard output once the broker accepts clients and the topics exist. */
    public static final String READY_PREFIX = "LOCAL-KAFKA READY ";
    /** Printed on standard output, with the reason, when the broker cannot start. */
    public static final String FAILED_PREFIX = "LOCAL-KAFKA FAILED ";

    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "CLIENT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The principal of the broker's own connections to its controller listener. */
    private static final String CONTROLLER_USER = "controller";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;
    /** Null: no authentication. */
    private final KafkaUsers users;

    private KafkaRaftServer server;

    LocalKafkaBroker(Path dataDir, String host, int port, int controllerPort, KafkaUsers users) {
        this.dataDir = dataDir.toAbsolutePath();
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.users = users;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        KafkaUsers users = arguments.usersFile() == null ? null : KafkaUsers.createOrLoad(arguments.usersFile());
        LocalKafkaBroker broker = new LocalKafkaBroker(
                arguments.dataDir(), arguments.host(), arguments.port(), arguments.controllerPort(), users);
        long started = System.nanoTime();
        try {
            broker.start();
        } catch (Exception e) {
            // The server's threads would keep this JVM alive: say why, stop them and exit.
            System.out.println(FAILED_PREFIX + e.getMessage());
            e.printStackTrace(System.out);
            broker.stop();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "local-kafka-shutdown"));
        System.out.printf(
                "%s%s in %d ms (data %s, %s)%n",
                READY_PREFIX,
                broker.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000,
                broker.dataDir,
                users == null
                        ? "no authentication"
                        : "SASL/" + KafkaAccess.SASL_MECHANISM + " users from " + users.file());
        System.out.flush();
        if (arguments.watchStdin()) {
            drainUntilClosed(System.in);
            System.exit(0); // runs the shutdown hook: controlled shutdown, so a restart on this folder is clean
        }
    }

    /** Where clients on this machine connect (loopback also when the listener is on every interface). */
    String bootstrapServers() {
        return (wildcard(host) ? "127.0.0.1" : host) + ":" + port;
    }

    void start() throws Exception {
        Files.createDirectories(dataDir);
        formatStorageOnce();
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        try (Admin admin = Admin.create(adminConfig())) {
            if (users != null) {
                AccessControl.apply(admin, users);
            }
            createTopics(admin);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                throw new IllegalStateException(
                        "the broker's own user '" + KafkaUsers.ADMIN + "' cannot log in: "
                                + dataDir
                                + " was formatted without it or with another password (made before the local broker "
                                + "required authentication, or " + users.file() + " was replaced). Delete " + dataDir
                                + " to start with an empty broker, or restore the users file.",
                        e.getCause());
            }
            throw e;
        }
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
        p.put(
                "listeners",
                CLIENT_LISTENER + "://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + advertisedHost() + ":" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        if (users == null) {
            p.put(
                    "listener.security.protocol.map",
                    CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        } else {
            p.putAll(securityProperties());
        }
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

    /**
     * Clients and the broker itself (inter-broker) log in with SCRAM-SHA-512 on the client listener; the broker reaches
     * its controller with PLAIN and a per-start password. Both of the broker's own principals are super users; every
     * other principal gets only the ACLs of the access model.
     */
    private Properties securityProperties() {
        String controllerPassword = Secrets.newSecret();
        String client = "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".";
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        Properties p = new Properties();
        p.put(
                "listener.security.protocol.map",
                CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        p.put("sasl.mechanism.inter.broker.protocol", KafkaAccess.SASL_MECHANISM);
        p.put(client + "sasl.enabled.mechanisms", KafkaAccess.SASL_MECHANISM);
        p.put(
                client + KafkaAccess.SASL_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                KafkaUsers.jaasConfig(KafkaUsers.ADMIN, users.password(KafkaUsers.ADMIN)));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        p.put(
                controller + "plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + CONTROLLER_USER + "\" password=\"" + controllerPassword + "\" user_"
                        + CONTROLLER_USER
                        + "=\"" + controllerPassword + "\";");
        p.put("authorizer.class.name", StandardAuthorizer.class.getName());
        p.put("super.users", "User:" + KafkaUsers.ADMIN + ";User:" + CONTROLLER_USER);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (users != null) {
            config.putAll(users.clientProperties(KafkaUsers.ADMIN));
        }
        return config;
    }

    private String advertisedHost() {
        if (!wildcard(host)) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "the broker listens on every interface but this machine's name cannot "
                            + "be resolved to advertise it; give --host a concrete address",
                    e);
        }
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * Formatting a folder that already holds a cluster fails ("Invalid cluster.id"), so format only a new one. With
     * authentication, the broker's own user is written into the new cluster's bootstrap metadata (KIP-900): nothing
     * could create it later, since every request needs a logged-in user.
     */
    private void formatStorageOnce() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(Set.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        if (users != null) {
            formatter.setScramArguments(List.of(KafkaAccess.SASL_MECHANISM + "=[name=" + KafkaUsers.ADMIN + ",password="
                    + users.password(KafkaUsers.ADMIN) + "]"));
        }
        formatter.run();
    }

    /**
     * Creates the topics that are missing and sets the settings of those that exist (a data folder from an older build
     * keeps its topics, but must get today's limits, e.g. {@code max.message.bytes}).
     */
    private static void createTopics(Admin admin) throws InterruptedException, ExecutionException {
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
                existing.put(
                        new ConfigResource(ConfigResource.Type.TOPIC, result.getKey()),
                        Topic.byName(result.getKey()).config().entrySet().stream()
                                .map(c -> new AlterConfigOp(
                                        new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                                .toList());
            }
        }
        if (!existing.isEmpty()) {
            admin.incrementalAlterConfigs(existing).all().get();
            awaitSettings(admin, existing.keySet());
        }
    }

    /** A change reaches the broker's metadata a moment after the controller took it: READY means it is in effect. */
    private static void awaitSettings(Admin admin, java.util.Set<ConfigResource> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            var described = admin.describeConfigs(topics).all().get();
            boolean applied = described.entrySet().stream()
                    .allMatch(e -> Topic.byName(e.getKey().name()).config().entrySet().stream()
                            .allMatch(c -> e.getValue().get(c.getKey()) != null
                                    && c.getValue()
                                            .equals(e.getValue().get(c.getKey()).value())));
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

    record Arguments(String host, int port, int controllerPort, Path dataDir, Path usersFile, boolean watchStdin) {
        static Arguments parse(String[] args) {
            String host = "127.0.0.1";
            int port = 9092;
            Integer controllerPort = null;
            Path dataDir = Path.of(".lab", "kafka");
            Path usersFile = null;
            boolean watchStdin = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host" -> host = value(args, ++i, "--host");
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--controller-port" ->
                        controllerPort = Integer.parseInt(value(args, ++i, "--controller-port"));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                    case "--users" -> usersFile = Path.of(value(args, ++i, "--users"));
                    case "--watch-stdin" -> watchStdin = true;
                    default ->
                        throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: [--host "
                                + "127.0.0.1] [--port 9092] [--controller-port 9093] [--data-dir .lab/kafka] [--users FILE] "
                                + "[--watch-stdin]");
                }
            }
            return new Arguments(
                    host, port, controllerPort == null ? port + 1 : controllerPort, dataDir, usersFile, watchStdin);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }
}
