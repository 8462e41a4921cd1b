package dev.tlab.trainer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lease of the job this trainer runs, if any: shared by the listener that runs jobs (one at a time) and the
 * rebalance callback that must stop the job whose partition is revoked.
 */
@ApplicationScoped
public class RunningJob {
    private final AtomicReference<JobLease> current = new AtomicReference<>();

    void start(JobLease lease) {
        current.set(lease);
    }

    void finish(JobLease lease, boolean acknowledged) {
        current.compareAndSet(lease, null);
        lease.end(acknowledged);
    }

    Optional<JobLease> current() {
        return Optional.ofNullable(current.get());
    }
}
