package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.subset.SubsetSelector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every check a request must pass before anything of it is published: one implementation for {@code POST /experiments}
 * and the {@code experiments} topic, so both refuse the same request with the same field and reason. In order: the
 * limits, the dataset (it can be had, it is intact, every class has the samples), the trainer's plan (model and
 * patterns), and that the id does not stand for another request.
 */
@ApplicationScoped
public class ExperimentAdmission {
    @Inject
    RequestLimits limits;

    @Inject
    CifarSources sources;

    @Inject
    PlanCheck plans;

    @Inject
    ExperimentRegistry registry;

    /** @return the dataset the request names, checked */
    public CifarDataset admit(ExperimentRequested request) {
        limits.check(request);
        registry.checkNoConflict(request);
        CifarDataset dataset = sources.resolve(request.dataset());
        SubsetSelector.checkAvailable(
                dataset.trainLabels(),
                dataset.classNames().size(),
                request.subset().samplesPerClass());
        plans.check(PlanRequest.of(request));
        return dataset;
    }
}
