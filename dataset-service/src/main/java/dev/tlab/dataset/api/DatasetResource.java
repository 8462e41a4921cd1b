package dev.tlab.dataset.api;

import dev.tlab.contracts.api.UploadedDataset;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.images.UploadedDatasets;
import dev.tlab.rest.BearerToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /datasets/{id}}: an uploaded archive (see {@link DatasetUploadRoute}) and what it holds. */
@Path("/datasets")
public class DatasetResource {
    private final DatasetConfig config;
    private final UploadedDatasets uploads;

    public DatasetResource(DatasetConfig config, UploadedDatasets uploads) {
        this.config = config;
        this.uploads = uploads;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "An uploaded dataset: its size, layout, class map, images per class and split folder, rejects",
            description = "Needs the trigger token when one is set. 404 for an id this service holds no archive of.")
    public UploadedDataset get(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        BearerToken.openWhenUnset(config.triggerToken(), "tlab.dataset.trigger-token")
                .check(authorization);
        return uploads.find(id);
    }
}
