package dev.tlab.cli;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.api.Views;
import java.util.UUID;

/**
 * An experiment's request as the results service recorded it ({@code GET /experiments/{id}}, field {@code request}),
 * turned back into a submission without an id, so that submitting it runs the same experiment again under a new id. The
 * dataset's location override is not part of the record (jobs do not carry it): the dataset service's configured source
 * is used, and the record's digests say whether it gave the same bytes.
 */
final class RecordedRequest {
    private RecordedRequest() {}

    static ExperimentSubmission of(UUID experimentId, Views.Experiment experiment) {
        Views.Request r = experiment.request();
        if (r == null) {
            throw new IllegalArgumentException("experiment " + experimentId + " has no recorded request (the results"
                    + " service knows it only from training events, or is older than the record)");
        }
        return new ExperimentSubmission(
                null,
                DatasetSpec.of(r.dataset()),
                r.subset(),
                r.strategies(),
                r.hyperParameters(),
                r.model(),
                r.seeds());
    }
}
