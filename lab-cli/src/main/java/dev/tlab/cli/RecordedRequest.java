package dev.tlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An experiment's request as the results service recorded it ({@code GET /experiments/{id}}, field {@code request}),
 * turned back into a submission without an id, so that submitting it runs the same experiment again under a new id.
 * The dataset's location override is not part of the record (jobs do not carry it): the dataset service's configured
 * source is used, and the record's digests say whether it gave the same bytes.
 */
final class RecordedRequest {
    private RecordedRequest() {
    }

    static ExperimentSubmission of(UUID experimentId, JsonNode experiment) {
        JsonNode r = experiment.path("request");
        if (!r.isObject()) {
            throw new IllegalArgumentException("experiment " + experimentId + " has no recorded request (the results"
                    + " service knows it only from training events, or is older than the record)");
        }
        try {
            var mapper = EventCodec.mapper();
            List<StrategySpec> strategies = new ArrayList<>();
            for (JsonNode s : r.path("strategies")) {
                strategies.add(mapper.treeToValue(s, StrategySpec.class));
            }
            List<Long> seeds = new ArrayList<>();
            r.path("seeds").forEach(seed -> seeds.add(seed.asLong()));
            SubsetPolicy subset = r.path("subset").isObject() ? mapper.treeToValue(r.path("subset"), SubsetPolicy.class)
                    : null;
            return new ExperimentSubmission(null, DatasetSpec.of(r.path("dataset").asText(null)), subset, strategies,
                    mapper.treeToValue(r.path("hyperParameters"), HyperParameters.class),
                    r.path("model").isObject() ? mapper.treeToValue(r.path("model"), ModelSpec.class) : null, seeds);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the recorded request of experiment " + experimentId
                    + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
