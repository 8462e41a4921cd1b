package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StrategySpecTest {
    private static final List<String> NOTEBOOK_ORDER = List.of("freeze", "partial", "full");

    @Test
    void theBuiltInsKeepTheNotebooksOrderInThisJvm() {
        assertEquals(NOTEBOOK_ORDER, List.copyOf(StrategySpec.BUILT_IN.keySet()));
        assertEquals(
                NOTEBOOK_ORDER,
                StrategySpec.notebookStrategies().stream()
                        .map(StrategySpec::name)
                        .toList());
    }

    /**
     * An unordered map (Map.copyOf) iterates in an order drawn per JVM: one JVM can be lucky, six in a row are not
     * (about 1 in 47,000), so each child JVM must print the notebook's order.
     */
    @Test
    void theBuiltInsKeepTheNotebooksOrderInEveryJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < 6; run++) {
            Process child = new ProcessBuilder(
                            java, "-cp", System.getProperty("java.class.path"), PrintBuiltIns.class.getName())
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            child.waitFor(60, TimeUnit.SECONDS);
            assertEquals(String.join(",", NOTEBOOK_ORDER), printed, "child JVM " + run);
        }
    }

    /** Run in a child JVM: prints the built-in names in iteration order. */
    public static final class PrintBuiltIns {
        public static void main(String[] args) {
            System.out.println(String.join(",", StrategySpec.BUILT_IN.keySet()));
        }
    }
}
