package dev.tlab.contracts;

import java.util.List;
import java.util.UUID;

/**
 * What a person or script asks for ({@code POST /experiments}, the CLI): an {@link ExperimentRequested} without its
 * envelope. Every field may be left out (the experiment id is then generated, the rest takes the notebook's values); a
 * field that is given is taken as given, so an empty list or the nil UUID is refused rather than read as "the default".
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
        if (experimentId != null) {
            Fields.requiredId(experimentId, "experimentId");
        }
        strategies =
                strategies == null ? null : Fields.notEmpty(Fields.noNullItems(strategies, "strategies"), "strategies");
        seeds = seeds == null ? null : Fields.notEmpty(Fields.noNullItems(seeds, "seeds"), "seeds");
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
