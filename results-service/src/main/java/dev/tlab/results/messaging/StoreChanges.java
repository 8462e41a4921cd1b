package dev.tlab.results.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Tells the open experiment pages that the store changed: the ingestor calls {@link #changed} after it applied a
 * message, and each page's event stream re-reads its experiment. A manifest can concern several experiments, so it
 * signals {@link #ALL}.
 */
@ApplicationScoped
public class StoreChanges {
    /** The signal of a change that may concern every experiment (a dataset manifest). */
    public static final UUID ALL = new UUID(0, 0);

    private final BroadcastProcessor<UUID> changes = BroadcastProcessor.create();

    /** Synchronized: the Kafka channels call it from their own threads, and a processor takes one signal at a time. */
    public synchronized void changed(UUID experimentId) {
        changes.onNext(experimentId == null ? ALL : experimentId);
    }

    /**
     * The changes that concern one experiment, from now on; a subscriber that is busy when several arrive gets the
     * latest only, which is enough since it re-reads the experiment.
     */
    public Multi<UUID> of(UUID experimentId) {
        return changes.filter(id -> id.equals(experimentId) || id.equals(ALL))
                .onOverflow()
                .dropPreviousItems();
    }
}
