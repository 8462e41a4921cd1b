package dev.tlab.cli;

import dev.tlab.cli.client.UnreachableException;
import dev.tlab.contracts.InvalidFieldException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./lab}: run the lab locally, trigger and watch experiments, print leaderboards. */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        version = "lab 0.1.0",
        description = "Transfer-learning strategy lab: compare freeze / partial / full fine-tuning of ResNet-18.",
        subcommands = {
            RunCommand.class,
            BrokerCommand.class,
            TriggerCommand.class,
            ListCommand.class,
            WatchCommand.class,
            LeaderboardCommand.class,
            ReportCommand.class,
            GpuCheckCommand.class,
            CancelCommand.class,
            ModelCommand.class,
            DatasetCommand.class
        },
        footerHeading = "%nTests:%n",
        footer = "  ./lab test [maven args]  installs what the tests need (scripts/test-tools), then ./mvnw -B verify",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (every strategy completed)",
            "1:a strategy failed, the experiment failed as a whole, or it is unknown",
            "2:bad usage or an invalid request (the message names the field)",
            "3:the broker or a service is unreachable",
            "4:timed out",
            "5:gpu-check: no usable NVIDIA GPU",
            "6:gpu-check: no usable CUDA build of libtorch",
            "7:the experiment was cancelled (watch, run)",
            "130:interrupted"
        })
public class Lab {
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Lab());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InvalidFieldException invalid) {
                cmd.getErr().println("invalid request: " + invalid.field() + ": " + invalid.reason());
                return ExitCodes.USAGE;
            }
            if (e instanceof dev.tlab.contracts.MalformedEventException malformed) {
                cmd.getErr().println("invalid request file: " + malformed.field() + ": " + malformed.reason());
                return ExitCodes.USAGE;
            }
            if (e instanceof UnreachableException) {
                cmd.getErr().println(e.getMessage());
                return ExitCodes.UNREACHABLE;
            }
            if (e instanceof java.util.concurrent.TimeoutException) {
                cmd.getErr().println(e.getMessage());
                return ExitCodes.TIMED_OUT;
            }
            if (e instanceof InterruptedException) {
                return ExitCodes.INTERRUPTED;
            }
            cmd.getErr().println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        });
        return commandLine.execute(args);
    }
}
