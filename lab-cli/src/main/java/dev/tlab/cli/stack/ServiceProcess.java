package dev.tlab.cli.stack;

import dev.tlab.kafka.local.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Quarkus service run as a child process, ready once {@code /q/health/ready} answers 200. */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final String baseUrl;
    private final Path logFile;

    private ServiceProcess(String name, Process process, String baseUrl, Path logFile) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java -jar quarkus-run.jar} with the given configuration as system properties (they override the
     * service's application.properties) and waits until it is ready. Secrets go in {@code environment}: unlike the
     * command line, a process's environment is not readable by other users of the machine.
     *
     * @param host where this machine reaches the service's port
     */
    public static ServiceProcess start(
            String name,
            Path quarkusRunJar,
            String host,
            int port,
            Map<String, String> config,
            Map<String, String> environment,
            Path logFile,
            Duration timeout) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(name + " is not built (" + quarkusRunJar + " is missing): run "
                    + "./mvnw -B install -DskipTests first");
        }
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                "-XX:+UseSerialGC",
                "-Xss1m",
                // a native crash report belongs next to the service's log, not in whatever folder launched it
                "-XX:ErrorFile=" + logFile.resolveSibling(name + "-hs_err_%p.log")));
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", quarkusRunJar.toString()));
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(name, process, "http://" + host + ":" + port, logFile);
            service.awaitReady(timeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Its process id, to tell replicas apart in messages. */
    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " while starting:\n" + tail(logFile, 30));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail(logFile, 30));
    }

    /** SIGTERM first, so Quarkus shuts down gracefully (Kafka consumers leave their groups), then force. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        ChildProcesses.awaitExitOrKill(process, Duration.ofSeconds(20));
    }

    /** Kills the process without a graceful shutdown, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + file + ")";
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
