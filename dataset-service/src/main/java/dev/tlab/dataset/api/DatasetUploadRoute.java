package dev.tlab.dataset.api;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.contracts.api.UploadedDataset;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.images.ImageStore;
import dev.tlab.dataset.images.UploadedDatasets;
import dev.tlab.rest.BearerToken;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code POST /datasets?sha256=<hex>}: an archive of the user's images (zip, tar or tar.gz) as the body, behind the
 * trigger token. The body is streamed to a file in the store while it is counted, and is refused with 413 as soon as it
 * passes {@code tlab.dataset.images.max-upload-bytes} (or announces more); its sha256 must be the one given (else 400,
 * nothing kept); it is kept under its sha256, so the same bytes are one dataset, scanned, and answered with its
 * {@link UploadedDataset} (201 when new, 200 when the same bytes were there).
 *
 * <p>A Vert.x route of its own rather than a REST method: the service's {@code quarkus.http.limits.max-body-size} (64K,
 * what a request to {@code /experiments} needs) is enforced for every route of the router at order -2, so this route
 * runs first (order -10) and answers itself; nothing is buffered in memory.
 */
@ApplicationScoped
public class DatasetUploadRoute {
    private static final Logger LOG = Logger.getLogger(DatasetUploadRoute.class);
    static final String LIMIT_KEY = "tlab.dataset.images.max-upload-bytes";

    /** The most bytes of a refused upload's body read (and dropped) before answering; see refuseBeforeBody. */
    static final long DRAINED_BODY_BYTES = 1L << 20;

    private final DatasetConfig config;
    private final ImageStore store;
    private final UploadedDatasets uploads;
    private final DatasetMetrics metrics;

    public DatasetUploadRoute(
            DatasetConfig config, ImageStore store, UploadedDatasets uploads, DatasetMetrics metrics) {
        this.config = config;
        this.store = store;
        this.uploads = uploads;
        this.metrics = metrics;
    }

    void routes(@Observes Router router) {
        router.post("/datasets").order(-10).handler(this::upload);
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long max = config.images().maxUploadBytes();
        String sha256;
        try {
            BearerToken.openWhenUnset(config.triggerToken(), "tlab.dataset.trigger-token")
                    .check(request.getHeader(HttpHeaders.AUTHORIZATION));
            sha256 = request.getParam("sha256");
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new ApiException(
                        400,
                        "sha256",
                        "the query parameter sha256 must be the archive's sha256 (64 lower-case hex digits)");
            }
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && parsed(length) > max) {
                throw tooLarge(max, "announces " + length + " bytes");
            }
        } catch (ApiException e) {
            refuseBeforeBody(ctx, e);
            return;
        }
        request.pause();
        Path arrived = store.incoming().resolve("." + UUID.randomUUID() + ".upload");
        try {
            Files.createDirectories(arrived.getParent());
        } catch (IOException e) {
            refuse(ctx, new ApiException(503, "body", "cannot store the upload: " + e.getMessage()), true);
            return;
        }
        ctx.vertx()
                .fileSystem()
                .open(arrived.toString(), new OpenOptions().setCreateNew(true).setWrite(true), opened -> {
                    if (opened.failed()) {
                        refuse(ctx, new ApiException(503, "body", "cannot store the upload: " + opened.cause()), true);
                        return;
                    }
                    receive(ctx, opened.result(), arrived, sha256, max);
                });
    }

    private void receive(RoutingContext ctx, AsyncFile file, Path arrived, String sha256, long max) {
        HttpServerRequest request = ctx.request();
        long[] received = {0};
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            received[0] += chunk.length();
            if (received[0] > max) {
                refused[0] = true;
                file.close(closed -> delete(arrived));
                refuse(ctx, tooLarge(max, "sent more"), true);
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(drained -> request.resume());
            }
        });
        request.exceptionHandler(e -> {
            if (!refused[0]) {
                refused[0] = true;
                file.close(closed -> delete(arrived));
                LOG.warnf("an upload broke off after %,d bytes: %s", received[0], e.getMessage());
            }
        });
        request.endHandler(ended -> {
            if (refused[0]) {
                return;
            }
            file.flush(flushed -> file.close(closed -> {
                if (closed.failed()) {
                    delete(arrived);
                    refuse(ctx, new ApiException(503, "body", "cannot store the upload: " + closed.cause()), false);
                    return;
                }
                // hashing, moving and scanning read files: off the event loop
                ctx.vertx()
                        .<UploadedDataset>executeBlocking(
                                () -> {
                                    try {
                                        return uploads.store(arrived, sha256);
                                    } finally {
                                        delete(arrived);
                                    }
                                },
                                false)
                        .onSuccess(summary -> {
                            LOG.infof(
                                    "dataset %s uploaded (%,d bytes, %s, %d classes, %d images, %d rejected)%s",
                                    summary.id(),
                                    summary.bytes(),
                                    summary.kind(),
                                    summary.classes().size(),
                                    summary.images(),
                                    summary.rejectCount(),
                                    summary.created() ? "" : ", the same bytes as before");
                            ctx.response()
                                    .setStatusCode(summary.created() ? 201 : 200)
                                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                    .putHeader(HttpHeaders.LOCATION, "/datasets/" + summary.id())
                                    .end(EventCodec.toJson(summary));
                        })
                        .onFailure(e -> refuse(
                                ctx,
                                e instanceof ApiException api
                                        ? api
                                        : new ApiException(500, "$", "the upload failed: " + e.getMessage()),
                                false));
            }));
        });
        request.resume();
    }

    private static ApiException tooLarge(long max, String what) {
        return new ApiException(
                413,
                "body",
                String.format(
                        java.util.Locale.ROOT,
                        "the upload %s than %,d bytes (%s); split the dataset or ask the operator to raise the limit",
                        what.startsWith("announces") ? what + ", more" : what,
                        max,
                        LIMIT_KEY));
    }

    /**
     * A refusal decided from the request line and headers (the token, the sha256, an announced size over the limit). A
     * body announced at most {@value #DRAINED_BODY_BYTES} bytes is read and dropped first, so that a client that sends
     * its whole body before it reads sees the answer rather than a broken pipe (Apache's HttpClient, behind REST
     * Assured, does); a larger or unannounced body is not read, and the connection is closed after the answer.
     */
    private void refuseBeforeBody(RoutingContext ctx, ApiException e) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long announced = length == null || !length.strip().matches("\\d{1,18}") ? -1 : Long.parseLong(length.strip());
        if (announced < 0 || announced > DRAINED_BODY_BYTES) {
            refuse(ctx, e, true);
            return;
        }
        request.handler(dropped -> {});
        request.exceptionHandler(broken -> refuse(ctx, e, true));
        request.endHandler(ended -> refuse(ctx, e, false));
        request.resume();
    }

    private void refuse(RoutingContext ctx, ApiException e, boolean closeConnection) {
        metrics.rejected("upload", e);
        if (ctx.response().ended()) {
            return;
        }
        if (closeConnection) {
            // the rest of the body is not read: the connection cannot carry another request
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.response().endHandler(done -> ctx.request().connection().close());
        }
        ctx.response()
                .setStatusCode(e.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(EventCodec.toJson(new ApiError(e.status(), e.field(), e.reason())));
    }

    private static long parsed(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Content-Length", "is not a number");
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", file, e.getMessage());
        }
    }
}
