package dev.tlab.dataset.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.DatasetMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plan check against a real HTTP planner on loopback, without Quarkus: the token it sends, and what each answer
 * becomes. (The refusals of a real trainer are in lab-cli's RequestChecksIT.)
 */
class PlanCheckTest {
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpServer planner;
    private volatile int status = 200;
    private volatile String answer = "{}";

    @BeforeEach
    void start() throws IOException {
        planner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        planner.createContext("/plan", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        planner.start();
    }

    @AfterEach
    void stop() {
        planner.stop(0);
    }

    private PlanCheck check(Optional<String> token) {
        return new PlanCheck(
                Optional.of("http://127.0.0.1:" + planner.getAddress().getPort() + "/"),
                Duration.ofSeconds(10),
                token,
                new DatasetMetrics(registry));
    }

    @Test
    void theConfiguredTokenIsSentAsABearerTokenAndNoneWithoutIt() {
        assertEquals(
                PlanCheck.Outcome.PASSED, check(Optional.of(" pl4n ")).check(new PlanRequest(null, null, null, null)));
        assertEquals(PlanCheck.Outcome.PASSED, check(Optional.of("")).check(new PlanRequest(null, null, null, null)));
        assertEquals(List.of("Bearer pl4n", "none"), authorizations);
        assertEquals(
                2.0,
                registry.get("tlab.dataset.plan.checks")
                        .tag("outcome", "passed")
                        .counter()
                        .count());
    }

    @Test
    void aPlannerThatRefusesTheTokenIsTheOperatorsToFixNotTheRequests() {
        status = 401;
        answer = "{\"status\":401,\"field\":\"Authorization\",\"reason\":\"wrong bearer token\"}";
        ApiException e = assertThrows(
                ApiException.class, () -> check(Optional.of("old")).check(new PlanRequest(null, null, null, null)));
        assertEquals(502, e.status());
        assertTrue(e.reason().contains("tlab.dataset.plan-token"), e.reason());
    }

    @Test
    void aRefusalNamesTheRequestsFieldAndNoAnswerSkipsTheCheck() {
        status = 400;
        answer = "{\"status\":400,\"field\":\"precision\",\"reason\":\"fp16 needs a GPU\"}";
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> check(Optional.of("t")).check(new PlanRequest(null, null, null, null)));
        assertEquals("hyperParameters.precision", e.field());
        assertEquals("fp16 needs a GPU", e.reason());
        planner.stop(0);
        assertEquals(PlanCheck.Outcome.SKIPPED, check(Optional.of("t")).check(new PlanRequest(null, null, null, null)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            precision                  | hyperParameters.precision
            headPatterns[0]            | hyperParameters.headPatterns[0]
            headPatterns               | hyperParameters.headPatterns
            strategies[1].trainable[0] | strategies[1].trainable[0]
            model.uri                  | model.uri
            $                          | $
            """)
    void aPlannerFieldIsNamedAsTheExperimentRequestNamesIt(String plannerField, String requestField) {
        assertEquals(requestField, PlanCheck.requestField(plannerField));
    }
}
