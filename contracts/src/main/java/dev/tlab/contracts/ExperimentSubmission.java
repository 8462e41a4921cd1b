package dev.tlab.contracts;

import java.util.List;
import java.util.UUID;

/**
 * What a person or script asks for ({@code POST /experiments}, the CLI): an {@link ExperimentRequested} without its
 * envelope. Every field may be left out; the experiment id is then generated.
 */
public record ExperimentSubmission(
        UUID experimentId,
        DatasetSpec dataset,
        SubsetPolicy subset,
        List<StrategySpec> strategies,
        HyperParameters hyperParameters,
        ModelSpec model,
        List<Long> seeds) {

    public ExperimentSubmission {
        strategies = strategies == null ? null : Fields.noNullItems(strategies, "strategies");
        seeds = seeds == null ? null : Fields.noNullItems(seeds, "seeds");
    }

    public ExperimentRequested toEvent() {
        return ExperimentRequested.create(
                experimentId == null ? UUID.randomUUID() : experimentId,
                dataset,
                subset,
                strategies,
                hyperParameters,
                model,
                seeds);
    }
}
