package dev.tlab.trainer.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tlab.contracts.EventCodec;
import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.job.TrainerActivity;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's pod-deletion-cost patches, received by a real local HTTP(S) server standing in for the Kubernetes API
 * server: path, method, content type, body and bearer token, and failures that are counted, never thrown.
 */
class PodDeletionCostTest {
    private static final String POD = "trainer-7d9f8c-x2x4q";
    private static final String NAMESPACE = "tlab";

    private record Received(String method, String path, String contentType, String authorization, String body) {}

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<Boolean> outcomes = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(HttpServer created) {
        server = created;
        server.createContext("/", exchange -> {
            received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = "{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    private static HttpServer plainServer() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    private TrainerActivity activity(String apiUrl, boolean enabled, Optional<String> pod, Path ca) throws IOException {
        Path token = dir.resolve("token");
        if (!Files.exists(token)) {
            Files.writeString(token, "token-1\n");
        }
        TrainerConfig.Kubernetes config = new TrainerConfig.Kubernetes() {
            @Override
            public boolean podDeletionCost() {
                return enabled;
            }

            @Override
            public String apiUrl() {
                return apiUrl;
            }

            @Override
            public Path tokenFile() {
                return token;
            }

            @Override
            public Path caFile() {
                return ca;
            }

            @Override
            public Optional<String> podName() {
                return pod;
            }

            @Override
            public Optional<String> podNamespace() {
                return Optional.of(NAMESPACE);
            }
        };
        return PodDeletionCost.of(config, outcomes::add);
    }

    private Received next() throws InterruptedException {
        Received request = received.poll(30, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no patch arrived");
        }
        return request;
    }

    private static void assertPatch(Received request, String cost, String token) throws IOException {
        assertEquals("PATCH", request.method());
        assertEquals("/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD, request.path());
        assertEquals("application/merge-patch+json", request.contentType());
        assertEquals("Bearer " + token, request.authorization());
        JsonNode body = EventCodec.mapper().readTree(request.body());
        assertEquals(
                EventCodec.mapper()
                        .readTree("{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\""
                                + cost + "\"}}}"),
                body);
    }

    @Test
    void anIdleTrainerSaysMinus1000AndATrainingOne1000() throws Exception {
        TrainerActivity activity = activity(serve(plainServer()), true, Optional.of(POD), dir.resolve("no-ca"));
        assertPatch(next(), "-1000", "token-1"); // idle from the start

        activity.training(true);
        assertPatch(next(), "1000", "token-1");

        Files.writeString(dir.resolve("token"), "token-2"); // the kubelet rotated the projected token
        activity.training(false);
        assertPatch(next(), "-1000", "token-2");
        awaitOutcomes(3);
        assertEquals(List.of(true, true, true), outcomes);
    }

    @Test
    void aRefusedPatchIsCountedAndTriedAgainAtTheNextChange() throws Exception {
        status.set(403);
        TrainerActivity activity = activity(serve(plainServer()), true, Optional.of(POD), dir.resolve("no-ca"));
        next();
        awaitOutcomes(1);
        assertEquals(List.of(false), outcomes, "failed, and nothing thrown");

        status.set(200);
        activity.training(true);
        assertPatch(next(), "1000", "token-1");
        activity.training(false);
        assertPatch(next(), "-1000", "token-1");
        awaitOutcomes(3);
        assertEquals(List.of(false, true, true), outcomes);
    }

    @Test
    void withoutThePodsNameNothingIsSentAndTheFailureIsCounted() throws Exception {
        activity(serve(plainServer()), true, Optional.empty(), dir.resolve("no-ca"));
        awaitOutcomes(1);
        assertEquals(List.of(false), outcomes);
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void offByDefault() throws Exception {
        assertSame(TrainerActivity.NONE, activity(serve(plainServer()), false, Optional.of(POD), dir));
    }

    /** Over TLS, the API server's certificate must chain to the CA file, and only to it. */
    @Test
    void theApiServerIsTrustedThroughTheServiceAccountsCaOnly() throws Exception {
        Path keystore = keyPair("api-server");
        Path ca = exportCertificate(keystore, "api-server");
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
        String url = serve(https);

        TrainerActivity activity = activity(url, true, Optional.of(POD), ca);
        assertPatch(next(), "-1000", "token-1");
        awaitOutcomes(1);
        assertEquals(List.of(true), outcomes);
        activity.training(true);
        assertPatch(next(), "1000", "token-1");
        awaitOutcomes(2);

        outcomes.clear();
        Path otherCa = exportCertificate(keyPair("someone-else"), "someone-else");
        activity(url, true, Optional.of(POD), otherCa);
        awaitOutcomes(1);
        assertEquals(List.of(false), outcomes, "a server the CA file does not vouch for is not trusted");
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "the token was not sent to it");
    }

    private void awaitOutcomes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (outcomes.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outcomes so far: " + outcomes);
            }
            Thread.sleep(20);
        }
    }

    /** A self-signed key pair for 127.0.0.1 made by the JDK's keytool. */
    private Path keyPair(String alias) throws Exception {
        Path keystore = dir.resolve(alias + ".p12");
        keytool(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=" + alias,
                "-ext",
                "SAN=ip:127.0.0.1",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        return keystore;
    }

    private Path exportCertificate(Path keystore, String alias) throws Exception {
        Path pem = dir.resolve(alias + ".crt");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-file",
                pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError("keytool failed: " + output);
        }
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
