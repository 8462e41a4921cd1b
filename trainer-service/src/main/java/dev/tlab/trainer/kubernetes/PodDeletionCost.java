package dev.tlab.trainer.kubernetes;

import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.job.TrainerActivity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * Tells Kubernetes which trainer pod to remove first when the trainers scale down: the ReplicaSet controller deletes
 * the pods with the lowest {@code controller.kubernetes.io/pod-deletion-cost} first, so an idle trainer says -1000 and
 * a training one 1000, and a scale-down takes an idle pod while there is one. The annotation is set with a JSON merge
 * patch of the trainer's own Pod through the Kubernetes API ({@code PATCH /api/v1/namespaces/<ns>/pods/<name>},
 * {@code application/merge-patch+json}), authenticated with the pod's service account token and trusting the cluster
 * CA; the pod's name and namespace come from the downward API (env POD_NAME, POD_NAMESPACE), and its Role needs
 * {@code get} and {@code patch} on pods.
 *
 * <p>Patches run on a thread of their own and only the newest wanted value is sent: a job never waits for the API
 * server, and a failed patch (logged, counted) never fails a job; the next change of activity tries again.
 */
public final class PodDeletionCost implements TrainerActivity {
    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    static final int IDLE = -1000;
    static final int BUSY = 1000;

    private static final Logger LOG = Logger.getLogger(PodDeletionCost.class);
    /** A DNS-1123 subdomain (pod names) or label (namespaces): nothing that could change the request's path. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private static final int UNKNOWN = Integer.MIN_VALUE;

    private final String apiUrl;
    private final Path tokenFile;
    private final Path caFile;
    private final Optional<String> podName;
    private final Optional<String> podNamespace;
    private final Consumer<Boolean> outcomes;
    private final AtomicInteger wanted = new AtomicInteger(IDLE);
    private final ExecutorService patcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pod-deletion-cost");
        t.setDaemon(true);
        return t;
    });
    /** Only touched by the patcher thread. */
    private int applied = UNKNOWN;

    private HttpClient http;

    /** @param outcomes hears true for each patch the API server applied, false for each that failed */
    PodDeletionCost(
            String apiUrl,
            Path tokenFile,
            Path caFile,
            Optional<String> podName,
            Optional<String> podNamespace,
            Consumer<Boolean> outcomes) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.tokenFile = tokenFile;
        this.caFile = caFile;
        this.podName = podName;
        this.podNamespace = podNamespace;
        this.outcomes = outcomes;
    }

    /**
     * The trainer's activity hook: nothing unless {@code tlab.trainer.kubernetes.pod-deletion-cost} is true; then the
     * pod is marked idle at once and follows the trainer's jobs.
     */
    public static TrainerActivity of(TrainerConfig.Kubernetes config, Consumer<Boolean> outcomes) {
        if (!config.podDeletionCost()) {
            return TrainerActivity.NONE;
        }
        PodDeletionCost cost = new PodDeletionCost(
                config.apiUrl(),
                config.tokenFile(),
                config.caFile(),
                config.podName(),
                config.podNamespace(),
                outcomes);
        cost.training(false);
        return cost;
    }

    @Override
    public void training(boolean busy) {
        wanted.set(busy ? BUSY : IDLE);
        patcher.execute(this::sendWanted);
    }

    /** Sends the newest wanted value unless it is already applied; runs on the patcher thread only. */
    private void sendWanted() {
        int cost = wanted.get();
        if (cost == applied) {
            return;
        }
        try {
            patch(cost);
            applied = cost;
            outcomes.accept(true);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            outcomes.accept(false);
            LOG.warnf("could not set this pod's %s to %d (the trainer goes on): %s", ANNOTATION, cost, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void patch(int cost) throws IOException, GeneralSecurityException, InterruptedException {
        String name = podName.filter(n -> NAME.matcher(n).matches())
                .orElseThrow(() -> new IllegalStateException("POD_NAME (tlab.trainer.kubernetes.pod-name) is not a"
                        + " pod name: " + podName.orElse("not set")));
        String namespace = podNamespace
                .filter(n -> NAME.matcher(n).matches())
                .orElseThrow(() -> new IllegalStateException("POD_NAMESPACE (tlab.trainer.kubernetes.pod-namespace)"
                        + " is not a namespace: " + podNamespace.orElse("not set")));
        URI pod = URI.create(apiUrl + "/api/v1/namespaces/" + namespace + "/pods/" + name);
        String token = Files.readString(tokenFile).strip();
        String body = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
        HttpRequest request = HttpRequest.newBuilder(pod)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/merge-patch+json")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            throw new IOException("the Kubernetes API answered " + response.statusCode() + " for PATCH " + pod + ": "
                    + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer));
        }
    }

    /** Built at the first patch: the CA file exists only in a pod. */
    private HttpClient client() throws IOException, GeneralSecurityException {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (apiUrl.startsWith("https:")) {
                builder.sslContext(trusting(caFile));
            }
            http = builder.build();
        }
        return http;
    }

    /** TLS that trusts exactly the certificates in the PEM file (the cluster CA), not the JDK's public CAs. */
    static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
