package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.cli.client.ExperimentSubmitter;
import dev.tlab.cli.client.UnreachableException;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.InvalidFieldException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line applies the request rules too: a strict request file, and the dataset service's refusals. */
class SubmissionRulesTest {

    @Test
    void aRequestFileWithAnUnknownFieldIsRefused(@TempDir Path dir) throws IOException {
        Path request = Files.writeString(dir.resolve("request.json"), "{\"hyperParameters\": {\"epoch\": 1}}");
        // port 1 is never a broker: refused before any connection is tried
        assertEquals(
                ExitCodes.USAGE,
                Lab.execute("trigger", "--bootstrap-servers", "127.0.0.1:1", "--request", request.toString()));
    }

    @Test
    void aConflictIsAnInvalidRequestAndA503IsUnreachable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] status = {409};
        server.createContext("/experiments", exchange -> {
            byte[] body = ("{\"field\": \"experimentId\", \"reason\": \"already requested with other settings\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status[0], body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            ExperimentSubmitter submitter = new ExperimentSubmitter(
                    "http://127.0.0.1:" + server.getAddress().getPort(), "test-token");
            ExperimentSubmission submission = new ExperimentSubmission(null, null, null, null, null, null, null);
            InvalidFieldException conflict =
                    assertThrows(InvalidFieldException.class, () -> submitter.submit(submission));
            assertEquals("experimentId", conflict.field());
            status[0] = 413;
            assertEquals(
                    "request",
                    assertThrows(InvalidFieldException.class, () -> submitter.submit(submission))
                            .field());
            status[0] = 503;
            assertThrows(UnreachableException.class, () -> submitter.submit(submission));
        } finally {
            server.stop(0);
        }
    }
}
