package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.subset.SubsetSelector;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every check a request must pass before anything of it is published, one implementation for both doors
 * ({@link ExperimentIntake}), so both refuse the same request with the same field and reason. In order: the limits, the
 * dataset (it can be had, it is intact, every class has the samples) and the trainer's plan (model and patterns; the
 * trainer loads the model for it, the costly one). Whether the id stands for another request is the
 * {@link ExperimentRegistry}'s to say, before this runs.
 */
@ApplicationScoped
public class ExperimentAdmission {
    private final RequestLimits limits;
    private final CifarSources sources;
    private final PlanCheck plans;

    public ExperimentAdmission(RequestLimits limits, CifarSources sources, PlanCheck plans) {
        this.limits = limits;
        this.sources = sources;
        this.plans = plans;
    }

    /** @return the dataset the request names, checked */
    public CifarDataset admit(ExperimentRequested request) {
        limits.check(request);
        CifarDataset dataset = sources.resolve(request.dataset());
        SubsetSelector.checkAvailable(
                dataset.trainLabels(),
                dataset.classNames().size(),
                request.subset().samplesPerClass());
        plans.check(PlanRequest.of(request));
        return dataset;
    }
}
