package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.ResolvedDataset;
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
    private final DatasetResolver datasets;
    private final PlanCheck plans;

    public ExperimentAdmission(RequestLimits limits, DatasetResolver datasets, PlanCheck plans) {
        this.limits = limits;
        this.datasets = datasets;
        this.plans = plans;
    }

    /**
     * @return the dataset the request names, checked (for images: scanned, every image decoded, split, and its class
     *     count checked against the model by the planner)
     */
    public ResolvedDataset admit(ExperimentRequested request) {
        limits.check(request);
        ResolvedDataset dataset = datasets.resolve(request);
        if (dataset instanceof CifarDataset cifar) {
            SubsetSelector.checkAvailable(
                    cifar.trainLabels(),
                    cifar.classNames().size(),
                    request.subset().samplesPerClass());
        }
        plans.check(PlanRequest.of(request, dataset.numClasses()));
        return dataset;
    }
}
