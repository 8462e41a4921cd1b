package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a dataset of the user's own images comes from ({@code dataset.source}, for {@code dataset.name}
 * {@code images}): exactly one of
 *
 * <ul>
 *   <li>{@code location}: a folder or a {@code .zip}, {@code .tar}, {@code .tar.gz} or {@code .tgz} archive under the
 *       dataset service's image roots ({@code tlab.dataset.images.roots}), absolute or relative to them;
 *   <li>{@code url} with its {@code sha256}: an {@code https} archive on a host the operator allows
 *       ({@code tlab.dataset.images.hosts}), downloaded once within the configured byte and time bounds;
 *   <li>{@code upload}: the id of an archive uploaded with {@code POST /datasets} (its sha256, 64 hex digits).
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSource(String location, String url, String sha256, String upload) {

    public DatasetSource {
        int given = (location != null ? 1 : 0) + (url != null ? 1 : 0) + (upload != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidFieldException(
                    "dataset.source",
                    "give exactly one of location (a folder or archive under the dataset service's image roots),"
                            + " url (an https archive, with its sha256) or upload (the id POST /datasets answered)");
        }
        if (location != null && location.isBlank()) {
            throw new InvalidFieldException("dataset.source.location", "must not be blank");
        }
        Fields.maxLength(location, ModelSpec.MAX_URI_LENGTH, "dataset.source.location");
        Fields.maxLength(url, ModelSpec.MAX_URI_LENGTH, "dataset.source.url");
        Fields.sha256(sha256, "dataset.source.sha256");
        Fields.sha256(upload, "dataset.source.upload");
        if (url != null) {
            checkUrl(url);
            if (sha256 == null) {
                throw new InvalidFieldException(
                        "dataset.source.sha256",
                        "is required with dataset.source.url: the archive is checked against it");
            }
        } else if (sha256 != null) {
            throw new InvalidFieldException("dataset.source.sha256", "belongs to dataset.source.url; give both");
        }
    }

    public static DatasetSource location(String location) {
        return new DatasetSource(location, null, null, null);
    }

    public static DatasetSource url(String url, String sha256) {
        return new DatasetSource(null, url, sha256, null);
    }

    public static DatasetSource upload(String id) {
        return new DatasetSource(null, null, null, id);
    }

    /** How the source reads in logs and on the page: the location, the URL, or {@code upload:<id>}. */
    public String describe() {
        if (location != null) {
            return location;
        }
        return url != null ? url : "upload:" + upload;
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("dataset.source.url", "is not a URL: " + e.getReason());
        }
        if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            throw new InvalidFieldException(
                    "dataset.source.url", "must be an https URL with a host, was " + Fields.quote(url));
        }
    }
}
