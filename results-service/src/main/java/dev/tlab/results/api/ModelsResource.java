package dev.tlab.results.api;

import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.domain.Views;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The fine-tuned models to take home. Trainers write them to the shared models volume ({@code tlab.trainer.model-store}),
 * which this service mounts read-only ({@code tlab.results.model-store}); the digest each trainer reported is checked
 * before a byte is served and sent as {@code X-Model-Sha256} and {@code Digest} headers.
 */
@Path("/experiments")
@Tag(name = "models", description = "Fine-tuned models (TorchScript) of completed jobs, with their sha256")
public class ModelsResource {
    static final String SHA256_HEADER = "X-Model-Sha256";

    @Inject
    ResultsStore store;

    @ConfigProperty(name = "tlab.results.model-store")
    Optional<java.nio.file.Path> modelStore;

    /** One kept model of an experiment. */
    public record ModelEntry(UUID jobId, String strategy, long seed, double testAccuracy, String sha256, long bytes,
            String href) {
    }

    /** {@code best} is the model to take home (the best strategy's best run), null until one was kept. */
    public record Models(UUID experimentId, Views.BestModel best, List<ModelEntry> models) {
    }

    @GET
    @Path("/{id}/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The kept fine-tuned models of an experiment, best first, with sha256 and download links")
    @APIResponse(responseCode = "200", description = "The models (an empty list until a job completed)")
    @APIResponse(responseCode = "404", description = "No such experiment",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Models models(@PathParam("id") String id) {
        Views.Experiment experiment = Ids.experiment(store, id);
        List<ModelEntry> models = new ArrayList<>();
        for (Views.Strategy s : experiment.strategies()) {
            for (Views.Run r : s.runs()) {
                if (r.model() != null && r.testAccuracy() != null) {
                    models.add(new ModelEntry(r.jobId(), s.strategy(), r.seed(), r.testAccuracy(), r.model().sha256(),
                            r.model().bytes(), r.model().href()));
                }
            }
        }
        models.sort(java.util.Comparator.comparing(ModelEntry::testAccuracy).reversed());
        return new Models(experiment.experimentId(), experiment.bestModel(), models);
    }

    @GET
    @Path("/{id}/models/best")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The best model's TorchScript file (sha256 in X-Model-Sha256)")
    @APIResponse(responseCode = "200", description = "The file")
    @APIResponse(responseCode = "404", description = "No such experiment, no kept model yet, or no model store here",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response best(@PathParam("id") String id) {
        Views.Experiment experiment = Ids.experiment(store, id);
        Views.BestModel best = experiment.bestModel();
        if (best == null) {
            throw ApiException.notFound("experiment " + experiment.experimentId() + " has no kept model yet (no job"
                    + " completed, or its trainers are older than the model store)");
        }
        return file(experiment, best.jobId());
    }

    @GET
    @Path("/{id}/jobs/{jobId}/model")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "One job's fine-tuned TorchScript model (sha256 in X-Model-Sha256)")
    @APIResponse(responseCode = "200", description = "The file")
    @APIResponse(responseCode = "400", description = "An id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such job, it kept no model, or the model was removed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response job(@PathParam("id") String id, @PathParam("jobId") String jobId) {
        Views.Experiment experiment = Ids.experiment(store, id);
        UUID job;
        try {
            job = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("jobId", "job id must be a UUID");
        }
        return file(experiment, job);
    }

    private Response file(Views.Experiment experiment, UUID jobId) {
        Views.Strategy strategy = null;
        Views.Run run = null;
        for (Views.Strategy s : experiment.strategies()) {
            for (Views.Run r : s.runs()) {
                if (r.jobId().equals(jobId)) {
                    strategy = s;
                    run = r;
                }
            }
        }
        if (run == null) {
            throw ApiException.notFound("experiment " + experiment.experimentId() + " has no job " + jobId);
        }
        if (run.model() == null) {
            throw ApiException.notFound("job " + jobId + " kept no model (state " + run.state() + ")");
        }
        if (modelStore.isEmpty()) {
            throw ApiException.notFound("this results service has no model store: set tlab.results.model-store to the"
                    + " trainers' tlab.trainer.model-store folder (the shared models volume)");
        }
        java.nio.file.Path file = modelStore.get().resolve(experiment.experimentId().toString()).resolve(jobId + ".pt");
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("the model of job " + jobId + " is no longer in " + modelStore.get()
                    + " (removed after tlab.trainer.model-retention, or the store is not the trainers' one)");
        }
        String sha256 = sha256(file);
        if (!sha256.equals(run.model().sha256())) {
            return ApiError.response(new ApiError(409, "conflict", null, "the stored model of job " + jobId + " has sha256 " + sha256 + " but the trainer"
                    + " reported " + run.model().sha256() + "; it was changed after it was written, do not use it"));
        }
        String name = strategy.strategy() + "-seed" + run.seed() + "-" + jobId + ".pt";
        return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM)
                .header(SHA256_HEADER, sha256)
                .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    private static String sha256(java.nio.file.Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
