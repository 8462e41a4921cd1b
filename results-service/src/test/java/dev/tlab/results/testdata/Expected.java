package dev.tlab.results.testdata;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import java.util.UUID;

/** The leaderboard that {@link Scenario} must give over REST, wherever and however often it was read. */
public final class Expected {
    /** Decimals as double (RestAssured's default is float). */
    public static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    private Expected() {}

    /** Everything the scenario must give: the leaderboard and the details. */
    public static void all(UUID experimentId) {
        leaderboard(experimentId);
        details(experimentId);
    }

    public static void leaderboard(UUID experimentId) {
        double half = 12.706204736174698 * Math.sqrt(0.0002) / Math.sqrt(2);
        given().config(DOUBLES)
                .get("/experiments/{id}/leaderboard", experimentId)
                .then()
                .statusCode(200)
                .body("experimentId", equalTo(experimentId.toString()))
                .body("state", equalTo("completed"))
                .body("dataset", equalTo("synthetic-cifar"))
                .body("synthetic", equalTo(true))
                .body("rows", hasSize(4))
                .body("rows.strategy", contains("partial", "full", "freeze", "layer3-up"))
                .body("rows.rank", contains(1, 2, 3, null))
                .body("rows.state", contains("completed", "completed", "completed", "failed"))
                .body("rows.precision", contains("fp32", "fp32", "fp32", "fp32")) // the request's default
                .body("rows[0].testAccuracy", closeTo(0.83, 1e-9))
                .body("rows[0].testAccuracyPercent", closeTo(83.0, 1e-7))
                .body("rows[0].seeds", equalTo(2))
                .body("rows[0].ci95Low", closeTo(0.83 - half, 1e-9))
                .body("rows[0].ci95High", closeTo(0.83 + half, 1e-9))
                .body("rows[1].testAccuracy", closeTo(0.80, 1e-9))
                .body("rows[1].ci95Low", nullValue())
                .body("rows[2].testAccuracy", closeTo(0.70, 1e-9))
                .body("rows[3].testAccuracy", nullValue())
                .body("rows.trainableParameters", contains(8_398_858, 11_181_642, 14_666, 11_181_642))
                .body("rows.totalParameters", contains(11_181_642, 11_181_642, 11_181_642, 11_181_642))
                .body("best.strategy", equalTo("partial"))
                .body("best.testAccuracyPercent", closeTo(83.0, 1e-7));
    }

    public static void details(UUID experimentId) {
        given().config(DOUBLES)
                .get("/experiments/{id}", experimentId)
                .then()
                .statusCode(200)
                .body("ranking", contains("partial", "full", "freeze"))
                .body("best.strategy", equalTo("partial"))
                .body("manifestId", equalTo("m-" + experimentId.toString().substring(0, 8)))
                .body("strategies.strategy", contains("freeze", "partial", "full", "layer3-up"))
                // freeze: out-of-order and duplicated epochs placed by number, once each
                .body("strategies[0].epochs.epoch", contains(1, 2, 3))
                .body("strategies[0].epochs.loss", contains(2.1, 1.8, 1.6))
                .body("strategies[0].epochs[0].seconds", closeTo(12.5, 1e-9))
                .body("strategies[0].epochs[0].imagesPerSecond", closeTo(240.0, 1e-9))
                .body("strategies[0].epochs[0].dataWaitSeconds", closeTo(0.25, 1e-9))
                .body("strategies[0].wallSeconds", closeTo(321.5, 1e-9))
                .body("strategies[0].device", equalTo("cpu()"))
                .body("strategies[1].runs", hasSize(2))
                .body("strategies[1].runs.seed", contains(0, 1))
                // full: attempt 1 failed after epoch 1, attempt 2 resumed at epoch 2: three epochs, not four
                .body("strategies[2].state", equalTo("completed"))
                .body("strategies[2].runs[0].attempt", equalTo(2))
                .body("strategies[2].runs[0].startEpoch", equalTo(2))
                .body("strategies[2].runs[0].failureReason", nullValue())
                .body("strategies[2].epochs.epoch", contains(1, 2, 3))
                .body("strategies[2].epochs.attempt", contains(1, 2, 2))
                .body("strategies[3].state", equalTo("failed"))
                .body("strategies[3].runs[0].failureReason", equalTo("model not found: /models/x.pt"));
    }
}
