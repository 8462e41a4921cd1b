package dev.tlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.EventCodec;
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
        JsonNode page = results.client().experiments(0, size);
        if (json) {
            System.out.println(EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(page));
            return ExitCodes.OK;
        }
        System.out.printf(Locale.ROOT, "%-36s  %-10s  %-10s  %s%n", "experiment", "state", "dataset", "best");
        for (JsonNode item : page.path("items")) {
            JsonNode best = item.path("best");
            System.out.printf(Locale.ROOT, "%-36s  %-10s  %-10s  %s%n", item.path("experimentId").asText(),
                    item.path("state").asText(), item.path("dataset").asText() + (item.path("synthetic").asBoolean() ? "*" : ""),
                    best.isObject() ? String.format(Locale.ROOT, "%s %.2f%%", best.path("strategy").asText(),
                            100 * best.path("testAccuracy").asDouble()) : "-");
        }
        return ExitCodes.OK;
    }
}
