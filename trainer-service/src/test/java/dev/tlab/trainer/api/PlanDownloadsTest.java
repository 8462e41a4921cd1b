package dev.tlab.trainer.api;

import static dev.tlab.trainer.api.PlanResourceTest.plan;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Checksums;
import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Downloads from a host the trainer allows are bounded in bytes and time, and a file that is not a model is not kept: a
 * real HTTP server on the loopback ({@link ModelServer}), allowed with private addresses, 2 MB and 3 s per download.
 */
@QuarkusTest
@Tag("model-downloads") // run by its own surefire execution, without DJL's offline switch (see the pom)
@TestProfile(PlanDownloadsTest.AllowedModelServer.class)
@WithTestResource(KafkaBrokerResource.class)
class PlanDownloadsTest {
    private static final Path CACHE = Path.of("target/plan-downloads-cache");

    public static class AllowedModelServer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ModelServer.class));
        }
    }

    @Test
    void anAllowedModelIsDownloadedVerifiedAndPlanned() throws IOException {
        String sha256 = Checksums.sha256Hex(Path.of("../models/resnet18-narrow.pt"));
        plan(body("/model.pt", sha256)).statusCode(200);
    }

    @Test
    void aSlowServerIsCutOffAtTheTimeLimit() {
        long t0 = System.nanoTime();
        plan(body("/slow.pt", "0".repeat(64)))
                .statusCode(400)
                .body("field", is("model.uri"))
                .body("reason", containsString("did not complete within " + ModelServer.TIMEOUT));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 30, "answered after " + seconds + " s; the server would have taken 800 s");
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() {
        plan(body("/big.pt", "0".repeat(64)))
                .statusCode(400)
                .body("field", is("model.uri"))
                .body("reason", containsString("larger than the download's limit of " + ModelServer.MAX_BYTES));
    }

    @Test
    void aDownloadThatIsNoModelIsRefusedAndNotKept() throws IOException {
        String sha256 =
                Checksums.sha256Hex("meeting notes, not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        plan(body("/notes.pt", sha256))
                .statusCode(400)
                .body("field", is("model.uri"))
                .body("reason", containsString("not a TorchScript archive"));
        try (Stream<Path> files = Files.walk(CACHE)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().startsWith("notes"))
                            .toList(),
                    "nothing of it left in the model cache");
        }
    }

    private static String body(String path, String sha256) {
        return "{\"model\": {\"uri\": \"" + ModelServer.origin + path + "\", \"sha256\": \"" + sha256 + "\"},"
                + " \"strategies\": [\"freeze\"]}";
    }
}
