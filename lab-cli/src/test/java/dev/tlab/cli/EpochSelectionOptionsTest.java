package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.HyperParameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --select-epoch} and {@code --patience} of {@code ./lab run} and {@code ./lab trigger} become
 * {@code hyperParameters.selection}; a patience with nothing to stop early is a usage error naming the option.
 */
class EpochSelectionOptionsTest {
    /** What a request file or {@code --like} gives before the options apply. */
    private static ExperimentSubmission base(EpochSelection selection) {
        return new ExperimentSubmission(
                null, null, null, null, HyperParameters.notebook().withSelection(selection), null, null);
    }

    private static EpochSelection selection(EpochSelection base, String... args) {
        TriggerCommand trigger = new TriggerCommand();
        new CommandLine(trigger).parseArgs(args);
        return trigger.experiment.toSubmission(base(base)).hyperParameters().selection();
    }

    @Test
    void theOptionsMapToTheRequestsSelection() {
        assertEquals(
                new EpochSelection(EpochSelection.VAL_LOSS, 3),
                selection(null, "--select-epoch", "val-loss", "--patience", "3"));
        assertEquals(
                new EpochSelection(EpochSelection.VAL_ACCURACY, null),
                selection(null, "--select-epoch", "val-accuracy"));
        assertNull(selection(null), "the notebook's default: test after the last epoch");
    }

    @Test
    void eachOptionReplacesItsOwnPartOfARecordedSelection() {
        EpochSelection recorded = new EpochSelection(EpochSelection.VAL_LOSS, 2);
        assertEquals(recorded, selection(recorded));
        assertEquals(new EpochSelection(EpochSelection.VAL_LOSS, 5), selection(recorded, "--patience", "5"));
        assertEquals(
                new EpochSelection(EpochSelection.VAL_ACCURACY, 2),
                selection(recorded, "--select-epoch", "val-accuracy"));
        assertNull(selection(recorded, "--select-epoch", "last"));
    }

    @Test
    void aPatienceWithoutASelectionIsAUsageErrorNamingTheOption() {
        for (String command : new String[] {"trigger", "run"}) {
            String[] err = new String[1];
            // port 1 is never a broker: refused before anything is started or sent
            int code = capturingErr(
                    err,
                    () -> Lab.execute(
                            command,
                            "--patience",
                            "2",
                            command.equals("run") ? "--kafka-port" : "--bootstrap-servers",
                            command.equals("run") ? "1" : "127.0.0.1:1"));
            assertEquals(ExitCodes.USAGE, code, command + ": " + err[0]);
            assertTrue(err[0].contains("--patience needs --select-epoch"), command + ": " + err[0]);
        }
        String[] err = new String[1];
        assertEquals(
                ExitCodes.USAGE,
                capturingErr(
                        err,
                        () -> Lab.execute(
                                "trigger",
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                "--select-epoch",
                                "last",
                                "--patience",
                                "2")));
        assertTrue(err[0].contains("--patience needs --select-epoch"), err[0]);
    }

    @Test
    void anUnknownMetricIsAUsageError() {
        String[] err = new String[1];
        assertEquals(
                ExitCodes.USAGE,
                capturingErr(
                        err,
                        () -> Lab.execute(
                                "trigger", "--bootstrap-servers", "127.0.0.1:1", "--select-epoch", "val-acc")));
        assertTrue(err[0].contains("--select-epoch") && err[0].contains("val-accuracy, val-loss or last"), err[0]);
    }

    /** The contracts' rule holds on the command line: no validation split, nothing to select on. */
    @Test
    void aSelectionOnADatasetWithoutValidationSplitIsRefusedNamingTheField() {
        String[] err = new String[1];
        assertEquals(
                ExitCodes.USAGE,
                capturingErr(
                        err,
                        () -> Lab.execute(
                                "trigger",
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                "--dataset",
                                "synthetic",
                                "--select-epoch",
                                "val-accuracy")));
        assertTrue(err[0].contains("hyperParameters.selection"), err[0]);
    }

    private static int capturingErr(String[] err, Supplier<Integer> run) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(saved);
            err[0] = buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
