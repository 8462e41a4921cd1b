package dev.tlab.results.web;

import dev.tlab.results.domain.ResultsStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The start page: every experiment (newest first) with its state and best strategy. */
@Path("/")
public class IndexResource {
    @Inject
    ResultsStore store;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The list of experiments (HTML)")
    public String index() {
        return Pages.index(store.list(0, 200));
    }
}
