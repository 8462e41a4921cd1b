package dev.tlab.cli;

import dev.tlab.cli.client.ResultsClient;
import picocli.CommandLine.Option;

/** Where the results service is. */
class ResultsOptions {
    @Option(
            names = "--results-url",
            defaultValue = "http://127.0.0.1:8082",
            description = "Results service (default ${DEFAULT-VALUE}).")
    String resultsUrl;

    ResultsClient client() {
        return new ResultsClient(resultsUrl);
    }
}
