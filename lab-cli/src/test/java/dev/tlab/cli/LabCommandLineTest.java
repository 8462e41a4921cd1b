package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.api.Views;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LabCommandLineTest {

    @Test
    void invalidRequestsFailWithTheUsageCodeBeforeAnythingIsSent() {
        // port 1 is never a broker: these must be rejected before any connection is tried
        assertEquals(
                ExitCodes.USAGE,
                Lab.execute("trigger", "--bootstrap-servers", "127.0.0.1:1", "--strategies", "sideways"));
        assertEquals(ExitCodes.USAGE, Lab.execute("trigger", "--bootstrap-servers", "127.0.0.1:1", "--epochs", "0"));
        assertEquals(
                ExitCodes.USAGE, Lab.execute("trigger", "--bootstrap-servers", "127.0.0.1:1", "--dataset", "imagenet"));
        assertEquals(ExitCodes.USAGE, Lab.execute("trigger", "--no-such-option"));
        assertEquals(
                ExitCodes.USAGE,
                Lab.execute(
                        "trigger",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--kafka-config",
                        "target/no-such-client.properties"));
    }

    @Test
    void optionsOverrideTheDefaultsAndCustomStrategiesArePatterns() {
        ExperimentOptions options = new ExperimentOptions();
        new CommandLine(options)
                .parseArgs(
                        "--strategies",
                        "partial,top2=layer3.*;layer4.*;fc.*",
                        "--epochs",
                        "3",
                        "--image-size",
                        "32",
                        "--seeds",
                        "0,1",
                        "--precision",
                        "bf16");
        ExperimentSubmission submission =
                options.toSubmission(new ExperimentSubmission(null, null, null, null, null, null, null));
        var event = submission.toEvent();
        assertEquals(
                List.of("partial", "top2"),
                event.strategies().stream().map(StrategySpec::name).toList());
        assertEquals(
                List.of("layer3.*", "layer4.*", "fc.*"),
                event.strategies().get(1).trainable());
        assertEquals(3, event.hyperParameters().epochs());
        assertEquals(32, event.hyperParameters().imageSize());
        assertEquals(Precision.BF16, event.hyperParameters().precision());
        assertEquals(64, event.hyperParameters().trainBatchSize(), "untouched settings keep the notebook's value");
        assertEquals(List.of(0L, 1L), event.seeds());
        assertEquals("cifar10", event.dataset().name());
    }

    @Test
    void anUnknownPrecisionIsRefusedNamingTheOption() {
        // port 1 is never a broker: refused before any connection is tried
        String message =
                printed(true, ExitCodes.USAGE, "trigger", "--bootstrap-servers", "127.0.0.1:1", "--precision", "fp8");
        assertTrue(
                message.contains("--precision")
                        && message.contains("unknown precision 'fp8', expected one of fp32," + " bf16, fp16"),
                message);
    }

    @Test
    void leaderboardPrintsTheNotebooksTableAndTheBestStrategy() throws Exception {
        Views.Leaderboard leaderboard = EventCodec.mapper().readValue("""
                {"experimentId":"00000000-0000-4000-8000-000000000001","dataset":"synthetic","synthetic":true,
                 "state":"completed","best":{"strategy":"partial","testAccuracy":0.8431,"testAccuracyPercent":84.31},
                 "rows":[{"rank":1,"strategy":"partial","state":"completed","testAccuracy":0.8431,
                          "trainableParameters":8398858,"totalParameters":11181642,"seeds":1,"precision":"bf16"},
                         {"rank":2,"strategy":"freeze","state":"completed","testAccuracy":0.61,
                          "trainableParameters":14666,"totalParameters":11181642,"seeds":1}]}""", Views.Leaderboard.class);
        String table = LeaderboardTable.render(leaderboard);
        assertTrue(table.contains("84.31%"), table);
        assertTrue(table.contains("completed  bf16"), "the precision it was trained in: " + table);
        assertTrue(table.contains("8,398,858 / 11,181,642"), table);
        assertTrue(table.contains("SYNTHETIC"), table);
        assertTrue(table.contains("Best strategy: partial (84.31%)"), table);
        assertTrue(table.indexOf("partial") < table.indexOf("freeze"), "ranked by test accuracy");
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        String help = printed(false, 0, "--help");
        for (String command :
                List.of("run", "broker", "trigger", "list", "watch", "leaderboard", "report", "cancel", "gpu-check")) {
            assertTrue(help.contains(command), help);
        }
        assertTrue(help.contains("Exit codes"), help);
    }

    /** Scripts tell outcomes apart by number alone: no two outcomes share one, whichever command returns it. */
    @Test
    void everyExitCodeMeansOneThing() throws IllegalAccessException {
        java.util.Map<Integer, String> byCode = new java.util.HashMap<>();
        for (java.lang.reflect.Field field : ExitCodes.class.getFields()) {
            String other = byCode.put(field.getInt(null), field.getName());
            assertEquals(null, other, field.getName() + " and " + other + " share " + field.getInt(null));
        }
        String[] listed = Lab.class.getAnnotation(CommandLine.Command.class).exitCodeList();
        assertEquals(
                new java.util.TreeSet<>(byCode.keySet()),
                java.util.Arrays.stream(listed)
                        .map(line -> Integer.valueOf(line.substring(0, line.indexOf(':'))))
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                "--help lists each code");
        assertEquals(byCode.size(), listed.length, "once");
    }

    /**
     * Runs {@code lab} with System.out (or System.err) captured, checks its exit code and returns what it printed
     * there.
     */
    private static String printed(boolean toStderr, int exitCode, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = toStderr ? System.err : System.out;
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        if (toStderr) {
            System.setErr(capture);
        } else {
            System.setOut(capture);
        }
        try {
            assertEquals(exitCode, Lab.execute(args), String.join(" ", args));
        } finally {
            if (toStderr) {
                System.setErr(original);
            } else {
                System.setOut(original);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
