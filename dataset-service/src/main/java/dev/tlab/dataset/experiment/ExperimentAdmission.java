package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.dataset.images.PlannedImages;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.ResolvedDataset;
import dev.tlab.dataset.subset.SubsetSelector;
import dev.tlab.images.Split;
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
        if (dataset instanceof PlannedImages images) {
            checkValidationSplit(request, images);
        }
        plans.check(PlanRequest.of(request, dataset.numClasses()));
        return dataset;
    }

    /** A job that selects its epoch on the validation split needs one: refused here rather than by every trainer. */
    private static void checkValidationSplit(ExperimentRequested request, PlannedImages images) {
        if (request.hyperParameters().selection() != null
                && images.description().split(Split.VAL).files().isEmpty()) {
            throw new InvalidFieldException(
                    "hyperParameters.selection",
                    "needs validation images, and this dataset's val split is empty (dataset.split.val is "
                            + request.dataset().split().val() + " and it has no val/ folder); give it a fraction"
                            + " above 0 or leave the selection out");
        }
    }
}
