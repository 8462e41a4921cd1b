package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build refuses a misformatted Java file (issue 26): the root pom's own Spotless plugin element, copied into a
 * one-file project, makes {@code mvnw verify} fail on a badly formatted class and pass once {@code spotless:apply} has
 * formatted it. Unbinding the check from {@code verify} (or dropping the formatter) makes the first run pass and this
 * test fail.
 */
class FormatterCheckTest {

    private static final Pattern SPOTLESS_PLUGIN =
            Pattern.compile("<plugin>\\s*<groupId>com\\.diffplug\\.spotless</groupId>.*?</plugin>", Pattern.DOTALL);

    @Test
    void verifyFailsOnAMisformattedFileAndPassesOnceFormatted(@TempDir Path project) throws IOException {
        Path root = DeployFiles.repoRoot();
        String rootPom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher plugin = SPOTLESS_PLUGIN.matcher(rootPom);
        assertTrue(plugin.find(), "the root pom configures Spotless");
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.tlab.check</groupId>
                  <artifactId>formatter-check</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                """ + plugin.group() + """
                    </plugins>
                  </build>
                </project>
                """);
        Path source = project.resolve("src/main/java/check/Misformatted.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package check;\nclass Misformatted{int  a;   int b( ){return a;}}\n");

        Tools.Outcome misformatted = maven(root, project, "verify");
        assertFalse(misformatted.ok(), "verify passed a misformatted file: " + misformatted.describe());
        assertTrue(
                (misformatted.stdout() + misformatted.stderr()).contains("Misformatted.java"),
                "the failure names the file: " + misformatted.describe());

        Tools.Outcome apply = maven(root, project, "spotless:apply");
        assertTrue(apply.ok(), apply.describe());
        Tools.Outcome formatted = maven(root, project, "verify");
        assertEquals(0, formatted.exitCode(), "verify after spotless:apply: " + formatted.describe());
    }

    /** The repository's Maven wrapper on the one-file project, as a developer's build runs. */
    private static Tools.Outcome maven(Path root, Path project, String goal) {
        return Tools.run(
                List.of(
                        root.resolve("mvnw").toString(),
                        "-B",
                        "-f",
                        project.resolve("pom.xml").toString(),
                        goal),
                root,
                null,
                Duration.ofMinutes(5),
                "the repository's Maven wrapper (./mvnw) runs it");
    }
}
