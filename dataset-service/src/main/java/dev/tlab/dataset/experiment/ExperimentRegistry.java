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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which content each experiment id stands for, in memory and appended to a file ({@code <experimentId> <sha256>} per
 * line, {@code <experimentId> -} when a claim is withdrawn, {@code <experimentId> failed} when the experiment failed
 * after it was accepted), so that an id re-used for a different request is refused (409) instead of being silently
 * dropped, also across restarts. The same content under the same id is idempotent.
 *
 * <p>A claim is made only after the request passed admission: content this registry holds for its id was admitted, and
 * is not admitted again (a REST request published to the topic, a redelivery). A failed id is spent: its failure was
 * published, and a resend of it would only make the results contradict themselves.
 */
public final class ExperimentRegistry {
    private static final String WITHDRAWN = "-";
    private static final String FAILED = "failed";

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
    private final Set<UUID> failed = ConcurrentHashMap.newKeySet();

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

    /**
     * Whether this content was admitted under its id before (claimed); refuses the request when its id stands for other
     * content or its experiment failed.
     *
     * @throws ExperimentConflictException (409) for another request's id or a failed one
     */
    public boolean checkOpen(ExperimentRequested request) {
        String digest = contentDigest(request);
        if (failed.contains(request.experimentId())) {
            throw new ExperimentConflictException("experiment " + request.experimentId() + " failed after it was"
                    + " accepted (the results service shows why); fix what its reason names and submit the request"
                    + " again with a new experimentId");
        }
        String known = digests.get(request.experimentId());
        if (known != null && !known.equals(digest)) {
            throw new ExperimentConflictException("experiment " + request.experimentId() + " was already requested"
                    + " with other settings (content sha256 " + known + ", this request " + digest + "); use a new"
                    + " experimentId, or resend the original request unchanged");
        }
        return known != null;
    }

    /**
     * Records the id for the request's content, once it is admitted. Checks again under the lock, so that of two
     * requests racing for one id with different content, one is refused.
     */
    public synchronized Claim claim(ExperimentRequested request) {
        if (checkOpen(request)) {
            return Claim.SAME;
        }
        append(request.experimentId(), contentDigest(request));
        return Claim.NEW;
    }

    /** The experiment failed after it was accepted: its id is refused from now on. */
    public synchronized void markFailed(UUID experimentId) {
        if (!failed.contains(experimentId)) {
            append(experimentId, FAILED);
        }
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
        } else if (FAILED.equals(digest)) {
            failed.add(experimentId);
        } else {
            digests.put(experimentId, digest);
        }
    }
}
