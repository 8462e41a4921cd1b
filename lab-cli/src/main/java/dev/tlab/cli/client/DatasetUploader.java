package dev.tlab.cli.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Uploads an archive to the dataset service's {@code POST /datasets?sha256=<hex>}, streaming the file as the body
 * (never held in memory), with the trigger token.
 */
public final class DatasetUploader {
    // HTTP/1.1: the upload route reads a plain streamed body; an h2c upgrade attempt buys nothing here
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String datasetUrl;
    private final String token;
    private final Duration timeout;

    /**
     * @param token the dataset service's trigger token, or null/blank when it requires none
     * @param timeout the longest the service may take to take the bytes and scan them
     */
    public DatasetUploader(String datasetUrl, String token, Duration timeout) {
        this.datasetUrl = datasetUrl.endsWith("/") ? datasetUrl.substring(0, datasetUrl.length() - 1) : datasetUrl;
        this.token = token;
        this.timeout = timeout;
    }

    /** Sends {@code archive}, whose sha256 is {@code sha256}; 201/200 with the dataset's summary, or an error. */
    public ServiceAnswer upload(Path archive, String sha256) throws FileNotFoundException, TimeoutException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(datasetUrl + "/datasets?sha256=" + sha256))
                .header("Accept", "application/json")
                .header("Content-Type", "application/octet-stream")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofFile(archive));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        try {
            return ServiceAnswer.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (java.net.http.HttpTimeoutException e) {
            throw new TimeoutException(
                    "the dataset service at " + datasetUrl + " did not answer the upload within " + timeout);
        } catch (IOException e) {
            throw new UnreachableException("the dataset service at " + datasetUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
