package dev.tlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the dataset service is, and its trigger token (the commands that change something there need it). */
class DatasetServiceOptions {
    @Option(
            names = "--dataset-url",
            defaultValue = "http://127.0.0.1:8081",
            description = "Dataset service (default ${DEFAULT-VALUE}).")
    String datasetUrl;

    @Option(
            names = "--token",
            defaultValue = "${env:TLAB_TRIGGER_TOKEN}",
            description = "The dataset service's trigger token (default: the environment variable TLAB_TRIGGER_TOKEN,"
                    + " else the file of --token-file).")
    String token;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            defaultValue = ".lab/secrets/trigger-token",
            description = "Read the trigger token from this file when neither --token nor TLAB_TRIGGER_TOKEN gives one"
                    + " (default: the local stack's, ${DEFAULT-VALUE}, when it exists; ./lab run writes it).")
    Path tokenFile;

    /** --token or TLAB_TRIGGER_TOKEN, else the token file when there is one, else none. */
    String triggerToken() throws IOException {
        if (token != null && !token.isBlank()) {
            return token;
        }
        return tokenFile != null && Files.isRegularFile(tokenFile)
                ? Files.readString(tokenFile).strip()
                : null;
    }
}
