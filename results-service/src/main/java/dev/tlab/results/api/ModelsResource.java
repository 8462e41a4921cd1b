package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.Checksums;
import dev.tlab.results.ResultsConfig;
import dev.tlab.results.domain.ResultsStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The fine-tuned models to take home. Trainers write them to the shared models volume
 * ({@code tlab.trainer.model-store}), which this service mounts read-only ({@code tlab.results.model-store}); the
 * digest each trainer reported is checked before a byte is served and sent as {@code X-Model-Sha256} and {@code Digest}
 * headers.
 */
@Path("/") // not "/experiments": a class path would shadow the pages web/Pages serves under /experiments
@Tag(name = "models", description = "Fine-tuned models (TorchScript) of completed jobs, with their sha256")
public class ModelsResource {
    static final String SHA256_HEADER = "X-Model-Sha256";

    private final ResultsStore store;
    private final Optional<java.nio.file.Path> modelStore;

    public ModelsResource(ResultsStore store, ResultsConfig config) {
        this.store = store;
        this.modelStore = config.modelStore();
    }

    @GET
    @Path("experiments/{id}/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The kept fine-tuned models of an experiment, best first, with sha256 and download links")
    @APIResponse(responseCode = "200", description = "The models (an empty list until a job completed)")
    @APIResponse(
            responseCode = "404",
            description = "No such experiment",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Models models(@PathParam("id") String id) {
        Views.Experiment experiment = Ids.experiment(store, id);
        List<Views.ModelEntry> models = new java.util.ArrayList<>(runs(experiment).stream()
                .filter(kept -> kept.run().model() != null && kept.run().testAccuracy() != null)
                .map(kept -> new Views.ModelEntry(
                        kept.run().jobId(),
                        kept.strategy().strategy(),
                        kept.run().seed(),
                        kept.run().testAccuracy(),
                        kept.run().model().sha256(),
                        kept.run().model().bytes(),
                        kept.run().model().href()))
                .toList());
        models.sort(
                java.util.Comparator.comparing(Views.ModelEntry::testAccuracy).reversed());
        return new Views.Models(experiment.experimentId(), experiment.bestModel(), models);
    }

    @GET
    @Path("experiments/{id}/models/best")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The best model's TorchScript file (sha256 in X-Model-Sha256)")
    @APIResponse(responseCode = "200", description = "The file")
    @APIResponse(
            responseCode = "404",
            description = "No such experiment, no kept model yet, or no model store here",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response best(@PathParam("id") String id) {
        Views.Experiment experiment = Ids.experiment(store, id);
        Views.BestModel best = experiment.bestModel();
        if (best == null) {
            throw ApiException.notFound(
                    "id",
                    "experiment " + experiment.experimentId() + " has no kept model yet (no job"
                            + " completed, or its trainers are older than the model store)");
        }
        return file(experiment, best.jobId());
    }

    @GET
    @Path("experiments/{id}/jobs/{jobId}/model")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "One job's fine-tuned TorchScript model (sha256 in X-Model-Sha256)")
    @APIResponse(responseCode = "200", description = "The file")
    @APIResponse(
            responseCode = "400",
            description = "An id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such job, it kept no model, or the model was removed",
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
        StrategyRun found = runs(experiment).stream()
                .filter(r -> r.run().jobId().equals(jobId))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound(
                        "jobId", "experiment " + experiment.experimentId() + " has no job " + jobId));
        Views.Strategy strategy = found.strategy();
        Views.Run run = found.run();
        if (run.model() == null) {
            throw ApiException.notFound("jobId", "job " + jobId + " kept no model (state " + run.state() + ")");
        }
        if (modelStore.isEmpty()) {
            throw ApiException.notFound(
                    "tlab.results.model-store",
                    "this results service has no model store: set"
                            + " tlab.results.model-store to the trainers' tlab.trainer.model-store folder (the shared models volume)");
        }
        java.nio.file.Path file =
                modelStore.get().resolve(experiment.experimentId().toString()).resolve(jobId + ".pt");
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound(
                    "jobId",
                    "the model of job " + jobId + " is no longer in " + modelStore.get()
                            + " (removed after tlab.trainer.model-retention, or the store is not the trainers' one)");
        }
        String sha256 = Checksums.sha256Hex(file);
        if (!sha256.equals(run.model().sha256())) {
            throw new ApiException(
                    409,
                    "jobId",
                    "the stored model of job " + jobId + " has sha256 " + sha256
                            + " but the trainer reported " + run.model().sha256()
                            + "; it was changed after it was written, do"
                            + " not use it");
        }
        String name = strategy.strategy() + "-seed" + run.seed() + "-" + jobId + ".pt";
        return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM)
                .header(SHA256_HEADER, sha256)
                .header(
                        "Digest",
                        "sha-256="
                                + Base64.getEncoder()
                                        .encodeToString(HexFormat.of().parseHex(sha256)))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    /** A run with the strategy it belongs to. */
    private record StrategyRun(Views.Strategy strategy, Views.Run run) {}

    private static List<StrategyRun> runs(Views.Experiment experiment) {
        return experiment.strategies().stream()
                .flatMap(s -> s.runs().stream().map(r -> new StrategyRun(s, r)))
                .toList();
    }
}
