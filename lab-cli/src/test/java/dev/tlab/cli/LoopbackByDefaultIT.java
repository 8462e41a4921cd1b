package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.stack.NativeEnvironment;
import dev.tlab.cli.stack.ServiceProcess;
import dev.tlab.kafka.local.BrokerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The three packaged services started as the README's "run a service on its own" does, without any host setting (no
 * quarkus.http.host, no QUARKUS_HTTP_HOST): each listens on loopback only, from its own application.properties. Before,
 * Quarkus' production default opened them on every interface.
 */
class LoopbackByDefaultIT {
    private static final Duration START = Duration.ofMinutes(3);

    private final List<ServiceProcess> services = new ArrayList<>();
    private BrokerProcess broker;

    @AfterEach
    void stop() {
        services.forEach(ServiceProcess::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aServiceJarStartedWithoutHostSettingsListensOnLoopbackOnly() throws IOException {
        assertTrue(ListeningSockets.supported(), "the check reads Linux's /proc/net/tcp and tcp6");
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("lab-cli/target/loopback-" + System.currentTimeMillis()));
        broker = BrokerProcess.start(
                new BrokerProcess.Options(
                        work.resolve("kafka"), "127.0.0.1", TestStacks.freePort(), TestStacks.freePort(), null),
                START);
        String bootstrap = broker.bootstrapServers();
        start(
                root,
                work,
                "dataset-service",
                Map.of("tlab.dataset.data-dir", work.resolve("data").toString()),
                bootstrap,
                Map.of());
        start(root, work, "results-service", Map.of(), bootstrap, Map.of());
        start(
                root,
                work,
                "trainer-service",
                Map.of(
                        "tlab.trainer.device", "cpu",
                        "tlab.trainer.checkpoint-dir",
                                work.resolve("checkpoints").toString(),
                        "tlab.trainer.model-cache", work.resolve("models").toString(),
                        "tlab.trainer.data-cache", work.resolve("trainer-data").toString(),
                        "tlab.trainer.default-model",
                                root.resolve("models/resnet18-narrow.pt").toString()),
                bootstrap,
                NativeEnvironment.trainer());

        for (ServiceProcess service : services) {
            List<ListeningSockets.Listener> listeners = ListeningSockets.of(List.of(service.pid()));
            int port = Integer.parseInt(
                    service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));
            assertEquals(
                    1,
                    listeners.stream().filter(l -> l.port() == port).count(),
                    service.name() + " listens on its port " + port + ": " + listeners);
            assertTrue(
                    listeners.stream().allMatch(l -> l.address().isLoopbackAddress()),
                    service.name() + " listens beyond this machine: " + listeners);
        }
    }

    private void start(
            Path root,
            Path work,
            String name,
            Map<String, String> config,
            String bootstrap,
            Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(config);
        all.put("kafka.bootstrap.servers", bootstrap);
        services.add(ServiceProcess.start(
                name,
                root.resolve(name + "/target/quarkus-app/quarkus-run.jar"),
                "127.0.0.1",
                TestStacks.freePort(),
                all,
                environment,
                work.resolve("logs/" + name + ".log"),
                START));
    }
}
