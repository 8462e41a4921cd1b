package dev.tlab.dataset.experiment;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.Checksums;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which content each experiment id stands for, in memory and appended to a file ({@code <experimentId> <sha256>} per
 * line, {@code <experimentId> -} when a claim is withdrawn), so that an id re-used for a different request is refused
 * (409) instead of being silently dropped, also across restarts. The same content under the same id is idempotent.
 */
public final class ExperimentRegistry {
    private static final String WITHDRAWN = "-";

    /** What a claim found. */
    public enum Claim {
        NEW,
        SAME
    }

    /** Everything of a request but its envelope and id, after defaults: what "the same content" means. */
    private record Content(
            DatasetSpec dataset,
            SubsetPolicy subset,
            List<StrategySpec> strategies,
            HyperParameters hyperParameters,
            ModelSpec model,
            List<Long> seeds) {}

    private final AppendLog log;
    private final Map<UUID, String> digests = new ConcurrentHashMap<>();

    public ExperimentRegistry(Path file) {
        this.log = new AppendLog(file);
        for (String[] record : log.records()) {
            if (record.length == 2) {
                apply(record[0], record[1]);
            }
        }
    }

    /** sha256 of the request's content (defaults applied, so leaving a field out equals giving its default). */
    public static String contentDigest(ExperimentRequested request) {
        return Checksums.sha256Hex(EventCodec.toJson(new Content(
                request.dataset(),
                request.subset(),
                request.strategies(),
                request.hyperParameters(),
                request.model(),
                request.seeds())));
    }

    public Optional<String> digestOf(UUID experimentId) {
        return Optional.ofNullable(digests.get(experimentId));
    }

    /** Refuses the request when its id already stands for other content. */
    public void checkNoConflict(ExperimentRequested request) {
        String digest = contentDigest(request);
        digestOf(request.experimentId()).filter(known -> !known.equals(digest)).ifPresent(known -> {
            throw new ExperimentConflictException("experiment " + request.experimentId() + " was already requested"
                    + " with other settings (content sha256 " + known + ", this request " + digest + "); use a new"
                    + " experimentId, or resend the original request unchanged");
        });
    }

    /** Records the id for the request's content. */
    public synchronized Claim claim(ExperimentRequested request) {
        checkNoConflict(request);
        if (digests.containsKey(request.experimentId())) {
            return Claim.SAME;
        }
        append(request.experimentId(), contentDigest(request));
        return Claim.NEW;
    }

    /** Withdraws a new claim whose request was never published, so the id is free again. */
    public synchronized void withdraw(ExperimentRequested request) {
        if (contentDigest(request).equals(digests.get(request.experimentId()))) {
            append(request.experimentId(), WITHDRAWN);
        }
    }

    private void append(UUID experimentId, String digest) {
        log.append(experimentId.toString(), digest);
        apply(experimentId.toString(), digest);
    }

    private void apply(String id, String digest) {
        UUID experimentId;
        try {
            experimentId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return; // a torn last line after a crash: that claim is made again by the next request
        }
        if (WITHDRAWN.equals(digest)) {
            digests.remove(experimentId);
        } else {
            digests.put(experimentId, digest);
        }
    }
}
