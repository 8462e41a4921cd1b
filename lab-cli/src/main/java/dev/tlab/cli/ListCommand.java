package dev.tlab.cli;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments, newest first.")
class ListCommand implements Callable<Integer> {
    @Mixin
    ResultsOptions results;

    @Option(names = "--json", description = "Print the results service's JSON.")
    boolean json;

    @Option(names = "--size", defaultValue = "20")
    int size;

    @Override
    public Integer call() throws Exception {
        Views.Page<Views.Summary> page = results.client().experiments(0, size);
        if (json) {
            System.out.println(
                    EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(page));
            return ExitCodes.OK;
        }
        System.out.printf(Locale.ROOT, "%-36s  %-10s  %-10s  %s%n", "experiment", "state", "dataset", "best");
        for (Views.Summary item : page.items()) {
            Views.Best best = item.best();
            System.out.printf(
                    Locale.ROOT,
                    "%-36s  %-10s  %-10s  %s%n",
                    item.experimentId(),
                    item.state(),
                    item.dataset() + (item.synthetic() ? "*" : ""),
                    best != null
                            ? String.format(Locale.ROOT, "%s %.2f%%", best.strategy(), 100 * best.testAccuracy())
                            : "-");
        }
        return ExitCodes.OK;
    }
}
