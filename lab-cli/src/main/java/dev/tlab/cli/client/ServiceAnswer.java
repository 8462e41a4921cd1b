package dev.tlab.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.EventCodec;
import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * What a service answered: its status and JSON body (the resource, or the {field, reason} of an error; a body that is
 * no JSON becomes its reason).
 */
public record ServiceAnswer(int status, JsonNode body) {
    static ServiceAnswer of(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = response.body().isBlank()
                    ? EventCodec.mapper().nullNode()
                    : EventCodec.mapper().readTree(response.body());
        } catch (IOException notJson) {
            body = EventCodec.mapper().createObjectNode().put("reason", response.body());
        }
        return new ServiceAnswer(response.statusCode(), body);
    }

    public String field() {
        return body.path("field").asText("");
    }

    public String reason() {
        return body.path("reason").asText("");
    }
}
