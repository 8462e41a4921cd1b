package dev.tlab.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Starts an experiment (topic {@code experiments}, key experimentId). Everything but the envelope and the experiment id
 * may be left out and then takes the notebook's value (the subset of a dataset of the user's own images: {@code all}).
 */
public record ExperimentRequested(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        UUID experimentId,
        DatasetSpec dataset,
        SubsetPolicy subset,
        List<StrategySpec> strategies,
        HyperParameters hyperParameters,
        ModelSpec model,
        List<Long> seeds)
        implements Event {

    public static final String TYPE = "ExperimentRequested";
    public static final int SCHEMA_VERSION = 1;

    public ExperimentRequested {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.requiredId(experimentId, "experimentId");
        dataset = Fields.orDefault(dataset, DatasetSpec.of(DatasetSpec.CIFAR10));
        // the user's own images train on all of them unless asked otherwise: a small dataset rarely has 300 a class
        subset = Fields.orDefault(subset, dataset.images() ? SubsetPolicy.all() : SubsetPolicy.notebook());
        if (subset.everyImage() && !dataset.images()) {
            throw new InvalidFieldException(
                    "subset.name",
                    "'all' is for dataset images; CIFAR-10 and synthetic take first-per-class or stratified-random");
        }
        strategies = Fields.listOrDefault(strategies, StrategySpec.notebookStrategies(), "strategies");
        if (strategies.stream().map(StrategySpec::name).distinct().count() != strategies.size()) {
            throw new InvalidFieldException("strategies", "strategy names must be unique");
        }
        hyperParameters = Fields.orDefault(hyperParameters, HyperParameters.notebook());
        if (hyperParameters.selection() != null && !dataset.images()) {
            // CIFAR-10's and the synthetic manifests have a training subset and a test set, nothing to select on
            throw new InvalidFieldException(
                    "hyperParameters.selection",
                    "needs a validation split, which only dataset images has (dataset.split.val or a val/ folder);"
                            + " leave it out to test after the last epoch");
        }
        model = Fields.orDefault(model, ModelSpec.trainerDefault());
        seeds = Fields.listOrDefault(seeds, List.of(0L), "seeds");
        if (seeds.size() > 100 || seeds.stream().distinct().count() != seeds.size()) {
            throw new InvalidFieldException("seeds", "must be at most 100 distinct values");
        }
    }

    /** A new request with a fresh envelope. */
    public static ExperimentRequested create(
            UUID experimentId,
            DatasetSpec dataset,
            SubsetPolicy subset,
            List<StrategySpec> strategies,
            HyperParameters hyperParameters,
            ModelSpec model,
            List<Long> seeds) {
        return new ExperimentRequested(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                experimentId,
                dataset,
                subset,
                strategies,
                hyperParameters,
                model,
                seeds);
    }
}
