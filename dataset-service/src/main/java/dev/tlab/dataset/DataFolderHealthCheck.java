package dev.tlab.dataset;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the data folder exists (or can be made) and is writable. */
@Readiness
@ApplicationScoped
public class DataFolderHealthCheck implements HealthCheck {
    private final DatasetConfig config;

    public DataFolderHealthCheck(DatasetConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Path dir = DatasetBeans.dataDir(config);
        try {
            Files.createDirectories(dir);
            boolean writable = Files.isWritable(dir);
            return HealthCheckResponse.named("data-folder")
                    .status(writable)
                    .withData("path", dir.toString())
                    .build();
        } catch (IOException e) {
            return HealthCheckResponse.named("data-folder")
                    .down()
                    .withData("path", dir.toString())
                    .withData("error", e.toString())
                    .build();
        }
    }
}
