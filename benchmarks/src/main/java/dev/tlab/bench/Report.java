package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the collected measurements into the tables printed at the end and copied into docs/benchmarks.md. */
final class Report {

    private static final List<String> STRATEGIES = List.of("freeze", "partial", "full");

    private final ArrayNode all;
    private final Map<String, TextTable> tables = new LinkedHashMap<>();

    Report(ArrayNode all) {
        this.all = all;
        tables.put("Trainer, model alone on prepared batches (images/s = batch / median timed step; eval is strategy-independent)", trainer());
        tables.put("DJL lever: graph executor optimizer on (default) vs off, same JVM, alternating steps", levers());
        tables.put("Input pipeline and overlap (DJL side)", pipeline());
        tables.put("Engines and threads per process", engines());
        tables.put("Peak memory per process", memory());
        tables.put("System (local stack: broker + 3 packaged services on loopback)", system());
    }

    String text() {
        StringBuilder out = new StringBuilder();
        tables.forEach((title, t) -> {
            if (t.size() > 0) {
                out.append('\n').append(title).append('\n').append(t.render());
            }
        });
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        tables.forEach((title, t) -> {
            if (t.size() > 0) {
                out.append("\n**").append(title).append("**\n\n").append(t.markdown());
            }
        });
        return out.toString();
    }

    private TextTable trainer() {
        TextTable t = new TextTable("pass", "strategy", "px", "batch", "threads", "DJL img/s", "PyTorch img/s",
                "DJL/PyTorch");
        for (int size : new int[] {32, 224}) {
            for (int threads : new int[] {2, 1}) {
                for (String s : STRATEGIES) {
                    row(t, "train", s, size, threads);
                }
                row(t, "eval", "any", size, threads);
                row(t, "train-channels-last", "partial", size, threads);
            }
        }
        return t;
    }

    private void row(TextTable t, String kind, String strategy, int size, int threads) {
        Optional<JsonNode> djl = find("trainer", "djl", kind, strategy, size, threads);
        Optional<JsonNode> py = find("trainer", "pytorch", kind, strategy, size, threads);
        if (djl.isEmpty() && py.isEmpty()) {
            return;
        }
        JsonNode any = djl.orElseGet(py::get);
        Double d = djl.map(n -> n.path("imagesPerSecond").asDouble()).orElse(null);
        Double p = py.map(n -> n.path("imagesPerSecond").asDouble()).orElse(null);
        String label = kind.equals("train-channels-last") ? "train, channels-last" : kind;
        t.row(label, strategy, size, any.path("batch").asInt(), threads, d, p, d == null || p == null ? null : d / p);
    }

    private TextTable levers() {
        TextTable t = new TextTable("lever", "pass", "strategy", "px", "threads", "on img/s", "off img/s",
                "off/on");
        for (JsonNode on : all) {
            if (on.path("kind").asText().equals("train-ab-graph-optimizer") && on.path("graphOptimizer").asBoolean()) {
                for (JsonNode off : all) {
                    if (off.path("kind").asText().equals("train-ab-graph-optimizer")
                            && !off.path("graphOptimizer").asBoolean()
                            && off.path("strategy").equals(on.path("strategy")) && off.path("size").equals(on.path("size"))
                            && off.path("threads").equals(on.path("threads"))) {
                        double a = on.path("imagesPerSecond").asDouble();
                        double b = off.path("imagesPerSecond").asDouble();
                        t.row("TorchScript graph optimizer (A/B, alternating steps)", "train",
                                on.path("strategy").asText(), on.path("size").asInt(), on.path("threads").asInt(), a,
                                b, b / a);
                    }
                }
            }
        }
        return t;
    }

    private Optional<JsonNode> find(String section, String impl, String kind, String strategy, int size, int threads) {
        for (JsonNode n : all) {
            if (n.path("section").asText().equals(section) && n.path("impl").asText().equals(impl)
                    && n.path("variant").asText("default").equals("default")
                    && n.path("kind").asText().equals(kind) && n.path("strategy").asText().equals(strategy)
                    && n.path("size").asInt() == size && n.path("threads").asInt() == threads) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    private TextTable pipeline() {
        TextTable t = new TextTable("figure", "px", "data threads", "images/s", "fastest DJL train img/s",
                "ratio", "data wait s/epoch");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("pipeline") && n.path("impl").asText().equals("djl")) {
                int size = n.path("size").asInt();
                Double fastest = fastestTrain(size);
                double rate = n.path("imagesPerSecond").asDouble();
                t.row("input pipeline alone (transforms + batching)", size, n.path("dataThreads").asInt(), rate,
                        fastest, fastest == null ? null : rate / fastest, null);
            }
        }
        for (JsonNode n : all) {
            if (n.path("kind").asText().equals("train-fed")) {
                int size = n.path("size").asInt();
                Double alone = find("trainer", "djl", "train", n.path("strategy").asText(), size, n.path("threads")
                        .asInt()).map(x -> x.path("imagesPerSecond").asDouble()).orElse(null);
                double rate = n.path("imagesPerSecond").asDouble();
                t.row(n.path("strategy").asText() + " train fed by the pipeline (prefetch "
                                + n.path("prefetchBatches").asInt() + "), vs model alone", size,
                        n.path("dataThreads").asInt(), rate, alone, alone == null ? null : rate / alone,
                        n.path("dataWaitSecondsPerEpoch").asDouble());
            }
        }
        return t;
    }

    private Double fastestTrain(int size) {
        Double best = null;
        for (String s : STRATEGIES) {
            Optional<JsonNode> n = find("trainer", "djl", "train", s, size, 2);
            if (n.isPresent()) {
                double r = n.get().path("imagesPerSecond").asDouble();
                best = best == null ? r : Math.max(best, r);
            }
        }
        return best;
    }

    private TextTable engines() {
        TextTable t = new TextTable("process", "engine", "intra-op threads", "inter-op threads", "notes");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("engine")) {
                boolean py = n.path("impl").asText().equals("pytorch");
                String engine = py ? "PyTorch " + n.path("torch").asText() + ", torchvision "
                        + n.path("torchvision").asText() + ", Python " + n.path("python").asText()
                        : "DJL " + n.path("djlVersion").asText() + ", libtorch " + n.path("engineVersion").asText();
                String notes = py ? "torch.set_num_threads" : n.path("variant").asText() + ", OMP_WAIT_POLICY=" + n.path("ompWaitPolicy").asText()
                        + ", -Dai.djl.pytorch.num_threads";
                t.row(n.path("process").asText(), engine, n.path("intraOpThreads").asInt(),
                        n.path("interOpThreads").asInt(), notes);
            }
        }
        return t;
    }

    private TextTable memory() {
        TextTable t = new TextTable("process", "peak RSS MiB (VmHWM)", "peak JVM heap MiB", "max heap MiB");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("memory")) {
                t.row(n.path("process").asText(), n.path("peakRssMiB").asDouble(),
                        n.has("peakHeapMiB") ? n.path("peakHeapMiB").asDouble() : null,
                        n.has("maxHeapMiB") ? n.path("maxHeapMiB").asDouble() : null);
            }
        }
        return t;
    }

    private TextTable system() {
        TextTable t = new TextTable("figure", "value", "unit", "how");
        for (JsonNode n : all) {
            switch (n.path("section").asText()) {
                case "stack" -> t.row("local stack start (broker + 3 services)", n.path("startSeconds").asDouble(),
                        "s", "LocalStack.start, free ports");
                case "request-latency" -> {
                    String how = "median of " + n.path("runs").asInt() + " runs; " + n.path("experiment").asText();
                    t.row("request -> JobStarted, median", n.path("medianToJobStartedSeconds").asDouble(), "s", how);
                    t.row("request -> first EpochCompleted, median", n.path("medianToFirstEpochSeconds").asDouble(),
                            "s", how);
                    t.row("request -> JobStarted, first run (cold)", n.path("firstRunToJobStartedSeconds").asDouble(),
                            "s", "includes consumer-group joins and JIT");
                    t.row("request -> first EpochCompleted, first run (cold)",
                            n.path("firstRunToFirstEpochSeconds").asDouble(), "s", "");
                    t.row("request -> first EpochCompleted, median of warm runs",
                            n.path("medianWarmToFirstEpochSeconds").asDouble(), "s", "runs 2..n");
                }
                case "results-ingest" -> {
                    t.row("results ingest, " + n.path("shape").asText(), n.path("eventsPerSecond").asDouble(),
                            "events/s", String.format(
                                    "%d EpochCompleted in %d experiments, first send to last one visible in GET",
                                    n.path("events").asInt(), n.path("experiments").asInt()));
                    t.row("  publishing alone", n.path("publishEventsPerSecond").asDouble(), "events/s",
                            "producer send + flush, acks=all");
                }
                case "results-latency" -> {
                    String how = String.format("%d requests at %d/s open loop, %d errors, %d skipped, %d-byte answer",
                            n.path("requests").asInt(), n.path("targetRate").asInt(), n.path("errors").asInt(),
                            n.path("skipped").asInt(), n.path("responseBytes").asInt());
                    t.row("GET /experiments/{id} p50", n.path("p50Ms").asDouble(), "ms", how);
                    t.row("GET /experiments/{id} p99", n.path("p99Ms").asDouble(), "ms", "");
                    t.row("GET /experiments/{id} max", n.path("maxMs").asDouble(), "ms", "");
                }
                default -> { }
            }
        }
        return t;
    }

    /** A short description of one measurement for the progress log. */
    static String oneLine(JsonNode n) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of("section", "kind", "strategy", "size", "batch", "threads", "dataThreads",
                "imagesPerSecond", "dataWaitSecondsPerEpoch", "intraOpThreads", "interOpThreads", "peakRssMiB",
                "engineVersion", "torch")) {
            if (n.has(k)) {
                JsonNode v = n.get(k);
                parts.add(k + "=" + (v.isFloatingPointNumber() ? TextTable.cell(v.asDouble()) : v.asText()));
            }
        }
        return String.join(" ", parts);
    }
}
