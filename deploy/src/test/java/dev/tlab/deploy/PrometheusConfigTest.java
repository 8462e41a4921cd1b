package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's promtool (the prometheus package) accepts compose's Prometheus config and refuses a broken one. */
class PrometheusConfigTest {

    @Test
    void promtoolAcceptsTheComposeConfig() {
        Tools.Outcome outcome = promtool(DeployFiles.deployDir().resolve("compose/prometheus.yml"));
        assertTrue(outcome.ok(), outcome.describe());
    }

    @Test
    void promtoolRefusesABrokenConfig(@TempDir Path dir) throws Exception {
        String config = DeployFiles.read(DeployFiles.deployDir().resolve("compose/prometheus.yml"))
                .replace("scrape_interval: 10s", "scrape_interval: ten seconds");
        Path broken = Files.writeString(dir.resolve("prometheus.yml"), config);
        Tools.Outcome outcome = promtool(broken);
        assertFalse(outcome.ok(), "accepted: " + outcome.describe());
        assertTrue(outcome.describe().contains("ten seconds"), outcome.describe());
    }

    static Tools.Outcome promtool(Path config) {
        return Tools.run(
                List.of("promtool", "check", "config", config.toString()),
                DeployFiles.deployDir(),
                null,
                Duration.ofMinutes(1),
                "Install Debian's prometheus package (it has promtool); ./lab test does (scripts/test-tools)");
    }
}
