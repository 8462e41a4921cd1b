package dev.tlab.dataset.api;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.manifest.ManifestFactory;
import dev.tlab.dataset.manifest.ManifestService;
import dev.tlab.dataset.manifest.ManifestStore;
import dev.tlab.dataset.source.CifarDataset;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Manifests and their data for trainers. */
@Path("/manifests")
public class ManifestResource {
    /** Header carrying the sha256 of the body, equal to the manifest's digest. */
    public static final String SHA256_HEADER = "X-Content-SHA256";

    /** One line of the manifest list. */
    public record Summary(
            String manifestId, String dataset, boolean synthetic, String policy, int subsetSize, String manifestUrl) {}

    private final ManifestService manifests;
    private final DatasetMetrics metrics;

    public ManifestResource(ManifestService manifests, DatasetMetrics metrics) {
        this.manifests = manifests;
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The manifests this service has built")
    public List<Summary> list() {
        return manifests.all().stream()
                .map(ManifestStore.Stored::manifest)
                .sorted(Comparator.comparing(DatasetManifest::occurredAt))
                .map(m -> new Summary(
                        m.manifestId(), m.dataset(), m.synthetic(), m.policy().name(), m.subsetSize(), url(m)))
                .toList();
    }

    /** Where the manifest is served: its data URLs (or, for images, its index URL) less their last part. */
    private static String url(DatasetManifest m) {
        String data = m.ofImages() ? m.images().index().url() : m.trainDataUrl();
        return data.substring(0, data.lastIndexOf('/'));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A DatasetManifest, as published to dataset-manifests")
    public Response manifest(@PathParam("id") String id) {
        return Response.ok(EventCodec.toJson(stored(id).manifest()), MediaType.APPLICATION_JSON)
                .build();
    }

    @GET
    @Path("/{id}/train")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(
            summary = "The subset's records in CIFAR binary format, in trainIndices order",
            description = "Header X-Content-SHA256 equals the manifest's subsetDigest; records whose digest no longer"
                    + " matches are refused with 503 and the reason.")
    public Response train(@PathParam("id") String id) {
        ManifestStore.Stored stored = cifar(stored(id));
        DatasetManifest manifest = stored.manifest();
        CifarDataset dataset = manifests.verifiedForTraining(stored);
        long length = (long) manifest.subsetSize() * CifarFormat.RECORD_BYTES;
        StreamingOutput body = out -> {
            CountingStream counting = new CountingStream(out);
            try {
                dataset.writeTrainRecords(manifest.trainIndices(), counting);
            } finally {
                metrics.bytesServed("train", counting.count);
            }
        };
        return binary(body, manifest.subsetDigest(), length);
    }

    @GET
    @Path("/{id}/test")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(
            summary = "The test records in CIFAR binary format",
            description = "Header X-Content-SHA256 equals the manifest's testDigest; records whose digest no longer"
                    + " matches are refused with 503 and the reason.")
    public Response test(@PathParam("id") String id) {
        ManifestStore.Stored stored = cifar(stored(id));
        DatasetManifest manifest = stored.manifest();
        CifarDataset dataset = manifests.verifiedForTest(stored);
        StreamingOutput body = out -> {
            CountingStream counting = new CountingStream(out);
            try {
                dataset.writeTestRecords(counting);
            } finally {
                metrics.bytesServed("test", counting.count);
            }
        };
        return binary(body, manifest.testDigest(), dataset.testBytes());
    }

    @GET
    @Path("/{id}/index")
    @Produces({MediaType.APPLICATION_JSON})
    @Operation(
            summary = "The index of a manifest of images: class map, splits, subset, rejects and leaks (ImageIndex)",
            description = "Header X-Content-SHA256 equals the manifest's images.index.sha256; an index whose digest no"
                    + " longer matches is refused with 503 and the reason.")
    public Response index(@PathParam("id") String id) {
        byte[] index = manifests.verifiedIndex(images(stored(id)));
        metrics.bytesServed("index", index.length);
        return Response.ok(index, MediaType.APPLICATION_JSON)
                .header(SHA256_HEADER, Checksums.sha256Hex(index))
                .build();
    }

    @GET
    @Path("/{id}/images/{sha256}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(
            summary = "One image of a manifest of images, as the original file, by its sha256",
            description = "Only images the manifest's index lists (any split); header X-Content-SHA256 is the sha256."
                    + " An image whose stored bytes no longer match is refused with 503 and the reason.")
    public Response image(@PathParam("id") String id, @PathParam("sha256") String sha256) {
        ManifestStore.Stored stored = images(stored(id));
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new ApiException(404, "sha256", "images are named by their sha256 (64 lower-case hex digits)");
        }
        byte[] bytes = manifests
                .image(stored, sha256)
                .orElseThrow(() ->
                        new ApiException(404, "sha256", "manifest " + id + " has no image with sha256 " + sha256));
        metrics.bytesServed("images", bytes.length);
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM)
                .header(SHA256_HEADER, sha256)
                .build();
    }

    private static ManifestStore.Stored images(ManifestStore.Stored stored) {
        if (!stored.manifest().ofImages()) {
            throw new ApiException(
                    404,
                    "id",
                    "manifest " + stored.manifest().manifestId() + " is of "
                            + stored.manifest().dataset() + " records: its data is at /train and /test");
        }
        return stored;
    }

    private static ManifestStore.Stored cifar(ManifestStore.Stored stored) {
        if (stored.manifest().ofImages()) {
            throw new ApiException(
                    404,
                    "id",
                    "manifest " + stored.manifest().manifestId() + " is of images: its data is at /index and"
                            + " /images/{sha256}");
        }
        return stored;
    }

    private ManifestStore.Stored stored(String id) {
        if (id == null || !ManifestFactory.ID.matcher(id).matches()) {
            throw new ApiException(404, "id", "unknown manifest '" + id + "' (ids look like m-<32 hex digits>)");
        }
        return manifests.find(id).orElseThrow(() -> new ApiException(404, "id", "unknown manifest '" + id + "'"));
    }

    private static Response binary(StreamingOutput body, String sha256, long length) {
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM)
                .header(SHA256_HEADER, sha256)
                .header("Content-Length", length)
                .build();
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
