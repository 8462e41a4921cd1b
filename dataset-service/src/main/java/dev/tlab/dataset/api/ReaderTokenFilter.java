package dev.tlab.dataset.api;

import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.rest.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The manifests and their data ({@link ManifestResource}) are for trainers only: with {@code tlab.dataset.reader-token}
 * set, every request there needs it as a bearer token (a token of its own, so that a trainer's token cannot start
 * experiments and the trigger token cannot read data).
 */
public class ReaderTokenFilter {
    static final String CONFIG_KEY = "tlab.dataset.reader-token";

    private final DatasetConfig config;
    private final DatasetMetrics metrics;

    public ReaderTokenFilter(DatasetConfig config, DatasetMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public void requireReaderToken(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceClass() != ManifestResource.class) {
            return;
        }
        try {
            BearerToken.openWhenUnset(config.readerToken(), CONFIG_KEY)
                    .check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        } catch (ApiException e) {
            metrics.rejected("data", e);
            throw e;
        }
    }
}
