package dev.tlab.results.messaging;

import dev.tlab.results.domain.ResultsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one in-memory aggregate of the process, rebuilt from Kafka at every start, and how far that rebuild is. */
@ApplicationScoped
public class StoreProducer {
    @Produces
    @ApplicationScoped
    ResultsStore store() {
        return new ResultsStore();
    }

    @Produces
    @ApplicationScoped
    RebuildProgress rebuildProgress() {
        return new RebuildProgress();
    }
}
