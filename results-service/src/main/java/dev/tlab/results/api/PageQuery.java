package dev.tlab.results.api;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of a paged list ({@code @BeanParam}), as the client sent them: text, so that {@link Paging}
 * answers a value that is no number with 400 naming it. The OpenAPI document still describes them as integers.
 */
public class PageQuery {
    @QueryParam("page")
    @Parameter(
            description = "The page, from 0 (default 0); a page past the last one is empty",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    String page;

    @QueryParam("size")
    @Parameter(
            description = "Items per page, 1.." + Paging.MAX_PAGE_SIZE + " (default " + Paging.DEFAULT_PAGE_SIZE + ")",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + Paging.MAX_PAGE_SIZE))
    String size;

    /** The checked page and size. */
    Paging paging() {
        return Paging.of(page, size);
    }
}
