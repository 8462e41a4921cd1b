package dev.tlab.kafka.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts {@link LocalKafkaBroker} as a child JVM and waits until it is ready. Uses only the JDK, so a test or a
 * launcher can depend on this jar alone (its Kafka server dependencies excluded): the broker's classpath was resolved
 * when this module was built and travels inside the jar.
 *
 * <p>The child stops when {@link #close()} closes its standard input, and also when this JVM dies.
 */
public final class BrokerProcess implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "META-INF/tlab/local-kafka.classpath";

    private final Process process;
    private final String bootstrapServers;
    private final Duration startTime;
    private final Path logFile;
    private final KafkaUsers users;

    private BrokerProcess(
            Process process, String bootstrapServers, Duration startTime, Path logFile, KafkaUsers users) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.startTime = startTime;
        this.logFile = logFile;
        this.users = users;
    }

    /**
     * How to run the broker.
     *
     * @param host address of the client listener ({@code 127.0.0.1}; {@code 0.0.0.0} for every interface)
     * @param usersFile the {@link KafkaUsers} file (created when missing): clients must authenticate and get only the
     *     ACLs of the access model; null for a broker without authentication
     */
    public record Options(Path dataDir, String host, int port, int controllerPort, Path usersFile) {
        /** Free loopback ports, no authentication. */
        public static Options plain(Path dataDir) {
            return new Options(dataDir, "127.0.0.1", freePort(), freePort(), null);
        }

        /** Free loopback ports, SASL/SCRAM with the users of {@code usersFile}. */
        public static Options authenticated(Path dataDir, Path usersFile) {
            return new Options(dataDir, "127.0.0.1", freePort(), freePort(), usersFile);
        }
    }

    /** A broker without authentication on free loopback ports; its log goes next to the data folder. */
    public static BrokerProcess start(Path dataDir, Duration timeout) {
        return start(Options.plain(dataDir), timeout);
    }

    public static BrokerProcess start(Options options, Duration timeout) {
        Path absoluteData = options.dataDir().toAbsolutePath();
        Path logFile = absoluteData.resolveSibling(absoluteData.getFileName() + "-broker.log");
        // Created here as well as in the child, so that the caller can use the credentials as soon as it is ready.
        KafkaUsers users = options.usersFile() == null ? null : KafkaUsers.createOrLoad(options.usersFile());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                brokerClasspath(),
                LocalKafkaBroker.class.getName(),
                "--host",
                options.host(),
                "--port",
                Integer.toString(options.port()),
                "--controller-port",
                Integer.toString(options.controllerPort()),
                "--data-dir",
                absoluteData.toString(),
                "--watch-stdin"));
        if (users != null) {
            command.addAll(List.of("--users", users.file().toString()));
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(absoluteData.getParent());
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> ready = watchOutput(process.getInputStream(), logFile);
            String bootstrap;
            try {
                bootstrap = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the local Kafka broker did not start within " + timeout + "; see " + logFile, e);
            } catch (java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the local Kafka broker did not start: " + e.getCause().getMessage() + " (log: " + logFile
                                + ")",
                        e.getCause());
            }
            return new BrokerProcess(process, bootstrap, Duration.ofNanos(System.nanoTime() - started), logFile, users);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's users and passwords; empty when it runs without authentication. */
    public java.util.Optional<KafkaUsers> users() {
        return java.util.Optional.ofNullable(users);
    }

    /**
     * Kafka client settings to reach this broker as {@code user}: the bootstrap address plus, with authentication,
     * SASL/SCRAM and the user's JAAS line. Without authentication the user does not matter.
     */
    public Map<String, Object> clientConfig(String user) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        if (users != null) {
            config.putAll(users.clientProperties(user));
        }
        return config;
    }

    /** From launching the JVM to the broker accepting clients with every topic created. */
    public Duration startTime() {
        return startTime;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Controlled shutdown (so the same data folder restarts cleanly); forced after 30 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
        ChildProcesses.awaitExitOrKill(process, Duration.ofSeconds(30));
    }

    /** Copies the child's output to its log file and completes with the bootstrap address on the ready line. */
    private static CompletableFuture<String> watchOutput(InputStream output, Path logFile) throws IOException {
        CompletableFuture<String> ready = new CompletableFuture<>();
        var log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (log;
                            BufferedReader lines =
                                    new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            log.write(line);
                            log.newLine();
                            log.flush();
                            if (line.startsWith(LocalKafkaBroker.READY_PREFIX)) {
                                ready.complete(line.substring(LocalKafkaBroker.READY_PREFIX.length())
                                        .split(" ")[0]);
                            } else if (line.startsWith(LocalKafkaBroker.FAILED_PREFIX)) {
                                ready.completeExceptionally(new IllegalStateException(
                                        line.substring(LocalKafkaBroker.FAILED_PREFIX.length())));
                            }
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                    ready.completeExceptionally(new IllegalStateException("the broker exited before it was ready"));
                },
                "local-kafka-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    /** The resolved dependency jars written at build time, plus wherever this class itself was loaded from. */
    static String brokerClasspath() {
        try (InputStream in = BrokerProcess.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the local-kafka module first "
                        + "(./mvnw -pl local-kafka -am install -DskipTests)");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(BrokerProcess.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the local-kafka classes are", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
