package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns the collected measurements into the tables printed at the end and copied into docs/benchmarks.md. */
final class Report {

    private static final List<String> STRATEGIES = List.of("freeze", "partial", "full");

    private final ArrayNode all;
    private final Map<String, TextTable> tables = new LinkedHashMap<>();

    Report(ArrayNode all) {
        this.all = all;
        tables.put(
                "Trainer, model alone on prepared batches, per setting (images/s = batch / median timed step; eval is"
                        + " strategy-independent; the PyTorch peer of bf16 is torch.autocast(\"cpu\", torch.bfloat16))",
                trainer());
        tables.put("Fastest setting per strategy at 224 px against PyTorch fp32 (target 1.5x)", fastest());
        tables.put(
                "The trainer end to end against the notebook's own loop (img/s after the first batch of an epoch, both"
                        + " sides fed by their own pipelines), and each model alone on the same warmed model"
                        + peakTitle(),
                notebook());
        tables.put(
                "Channels-last (and bf16 channels-last where the CPU computes bf16) and accuracy: test accuracy (%) per"
                        + " seed and its 95% t-interval against fp32, the engine on the synthetic schedule at 32 px;"
                        + " unchanged = each mean inside the other setting's interval",
                accuracy());
        tables.put(
                "Profiled training steps per side (section profile): the median step under the profiler, the operators'"
                        + " self time, the same with each call at its shortest over the steps (undisturbed), the"
                        + " kernel's share of the process's CPU time and the minor page faults per step (fresh memory,"
                        + " zeroed on first touch)",
                profiledSteps());
        tables.put(
                "Operator by operator (section profile), ms per step of self time, undisturbed in brackets; DJL with"
                        + " the trainers' allocator (tcmalloc where installed) and with glibc's malloc, PyTorch as its"
                        + " users run it (glibc) and with tcmalloc preloaded",
                operators());
        tables.put("Input pipeline and overlap (DJL side)", pipeline());
        tables.put("Engines and threads per process", engines());
        tables.put("Peak memory per process", memory());
        tables.put(
                "Peak memory of the heaviest job (full at 224 px, memory processes only), DJL against PyTorch",
                memoryAgainstPyTorch());
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

    private static final List<String> SETTINGS = List.of("fp32", "fp32 channels-last", "bf16", "bf16 channels-last");

    private TextTable trainer() {
        TextTable t = new TextTable(
                "pass",
                "strategy",
                "px",
                "setting",
                "batch",
                "DJL img/s",
                "PyTorch same setting",
                "DJL/same",
                "PyTorch fp32",
                "DJL/PyTorch fp32");
        for (int size : new int[] {32, 224}) {
            for (String s : STRATEGIES) {
                for (String setting : SETTINGS) {
                    row(t, "train", s, size, setting);
                }
            }
            for (String setting : SETTINGS) {
                row(t, "eval", "any", size, setting);
            }
        }
        return t;
    }

    private void row(TextTable t, String kind, String strategy, int size, String setting) {
        Optional<JsonNode> djl = find("djl", kind, strategy, size, setting);
        Optional<JsonNode> py = find("pytorch", kind, strategy, size, setting);
        if (djl.isEmpty() && py.isEmpty()) {
            return;
        }
        Double d = rate(djl);
        Double p = rate(py);
        Double p32 = rate(find("pytorch", kind, strategy, size, "fp32"));
        t.row(
                kind,
                strategy,
                size,
                setting,
                djl.orElseGet(py::get).path("batch").asInt(),
                d,
                p,
                ratio(d, p),
                p32,
                ratio(d, p32));
    }

    private TextTable fastest() {
        TextTable t = new TextTable(
                "strategy",
                "fastest DJL setting",
                "DJL img/s",
                "PyTorch fp32 img/s",
                "ratio",
                "fastest PyTorch setting",
                "PyTorch img/s",
                "target >= 1.5x PyTorch fp32");
        for (String s : STRATEGIES) {
            Optional<JsonNode> best = fastestOf("djl", s);
            Optional<JsonNode> bestPy = fastestOf("pytorch", s);
            Double p32 = rate(find("pytorch", "train", s, 224, "fp32"));
            Double d = rate(best);
            if (d == null) {
                continue;
            }
            Double r = ratio(d, p32);
            t.row(
                    s,
                    best.get().path("setting").asText(),
                    d,
                    p32,
                    r,
                    bestPy.map(n -> n.path("setting").asText()).orElse(null),
                    rate(bestPy),
                    r == null ? null : r >= 1.5 ? "met" : "not met");
        }
        return t;
    }

    private Optional<JsonNode> fastestOf(String impl, String strategy) {
        Optional<JsonNode> best = Optional.empty();
        for (String setting : SETTINGS) {
            Optional<JsonNode> n = find(impl, "train", strategy, 224, setting);
            if (n.isPresent() && (best.isEmpty() || rate(n) > rate(best))) {
                best = n;
            }
        }
        return best;
    }

    private static Double rate(Optional<JsonNode> n) {
        return n.map(x -> x.path("imagesPerSecond").asDouble()).orElse(null);
    }

    private static final List<String> NOTEBOOK_SETTINGS = List.of("fp32", "fp32 channels-last", "bf16 channels-last");

    private TextTable notebook() {
        TextTable t = new TextTable(
                "strategy",
                "px",
                "setting",
                "DJL end to end",
                "notebook same setting",
                "ratio",
                "notebook fp32",
                "DJL/notebook fp32",
                "DJL model alone",
                "PyTorch model alone",
                "ratio",
                "GFLOP/img",
                "DJL % peak",
                "notebook % peak");
        Optional<PeakFlops> peak = peak();
        for (int size : new int[] {224, 32}) {
            for (String s : STRATEGIES) {
                for (String setting : NOTEBOOK_SETTINGS) {
                    Double d = rate(notebookRow("djl", "notebook", s, size, setting));
                    Double p = rate(notebookRow("pytorch", "notebook", s, size, setting));
                    if (d == null && p == null) {
                        continue;
                    }
                    Double p32 = rate(notebookRow("pytorch", "notebook", s, size, "fp32"));
                    Double da = rate(notebookRow("djl", "notebook-model-alone", s, size, setting));
                    Double pa = rate(notebookRow("pytorch", "notebook-model-alone", s, size, setting));
                    Double flops = trainingFlops(s, size);
                    t.row(
                            s,
                            size,
                            setting,
                            d,
                            p,
                            ratio(d, p),
                            p32,
                            ratio(d, p32),
                            da,
                            pa,
                            ratio(da, pa),
                            flops == null ? null : flops / 1e9,
                            percentOfPeak(peak, d, flops),
                            percentOfPeak(peak, p, flops));
                }
            }
        }
        return t;
    }

    private String peakTitle() {
        return peak().map(p -> "; peak " + p.describe()).orElse("");
    }

    private static Double percentOfPeak(Optional<PeakFlops> peak, Double rate, Double flops) {
        return peak.isEmpty() || rate == null || flops == null
                ? null
                : 100 * peak.get().fraction(rate, flops);
    }

    private Optional<PeakFlops> peak() {
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("peak")) {
                return Optional.of(new PeakFlops(
                        n.path("cores").asInt(),
                        n.path("gigahertz").asDouble(),
                        n.path("flopsPerCycle").asInt(),
                        n.path("frequencySource").asText(),
                        n.path("vectorUnit").asText()));
            }
        }
        return Optional.empty();
    }

    /** FLOPs of one training image, as the PyTorch peer counted them on the model. */
    private Double trainingFlops(String strategy, int size) {
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("flops")
                    && n.path("strategy").asText().equals(strategy)
                    && n.path("size").asInt() == size) {
                return PeakFlops.trainingFlops(
                        n.path("forwardMacs").asLong(),
                        n.path("inputGradientMacs").asLong(),
                        n.path("weightGradientMacs").asLong());
            }
        }
        return null;
    }

    private Optional<JsonNode> notebookRow(String impl, String kind, String strategy, int size, String setting) {
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("trainer")
                    && n.path("impl").asText().equals(impl)
                    && n.path("setting").asText("fp32").equals(setting)
                    && n.path("kind").asText().equals(kind)
                    && n.path("strategy").asText().equals(strategy)
                    && n.path("size").asInt() == size) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null ? null : a / b;
    }

    /** A measurement of the main plan (the memory plan's figures stay in the memory table). */
    private Optional<JsonNode> find(String impl, String kind, String strategy, int size, String setting) {
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("trainer")
                    && n.path("impl").asText().equals(impl)
                    && n.path("process").asText().contains("main")
                    && n.path("setting").asText("fp32").equals(setting)
                    && n.path("kind").asText().equals(kind)
                    && n.path("strategy").asText().equals(strategy)
                    && n.path("size").asInt() == size) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The settings the accuracy section compares with fp32; bf16 only where it ran (a CPU with bf16 arithmetic). */
    private static final List<String> ACCURACY_SETTINGS = List.of("fp32 channels-last", "bf16 channels-last");

    private TextTable accuracy() {
        TextTable t = new TextTable(
                "strategy",
                "setting",
                "seeds",
                "fp32 per seed",
                "fp32 mean",
                "95% interval",
                "setting per seed",
                "setting mean",
                "95% interval",
                "unchanged");
        for (String setting : ACCURACY_SETTINGS) {
            for (String s : STRATEGIES) {
                List<Double> off = accuracies(s, "fp32");
                List<Double> on = accuracies(s, setting);
                if (on.isEmpty() && (off.isEmpty() || !ranAnywhere(setting))) {
                    continue;
                }
                SeedInterval a = interval(off);
                SeedInterval b = interval(on);
                t.row(
                        s,
                        setting,
                        Math.min(off.size(), on.size()),
                        percents(off),
                        a.mean() * 100,
                        span(a),
                        percents(on),
                        b.mean() * 100,
                        span(b),
                        SeedInterval.unchanged(a, b) ? "yes" : "NO");
            }
        }
        return t;
    }

    /**
     * The strategies whose accuracy a setting changed beyond the seeds' intervals, as "strategy (setting)", or that are
     * missing from a comparison: channels-last always (the section's claim), bf16 where it ran at all.
     */
    List<String> accuracyChanged() {
        List<String> changed = new ArrayList<>();
        for (String setting : ACCURACY_SETTINGS) {
            if (!setting.equals("fp32 channels-last") && !ranAnywhere(setting)) {
                continue;
            }
            for (String s : STRATEGIES) {
                if (!SeedInterval.unchanged(interval(accuracies(s, "fp32")), interval(accuracies(s, setting)))) {
                    changed.add(s + " (" + setting + ")");
                }
            }
        }
        return changed;
    }

    private boolean ranAnywhere(String setting) {
        return STRATEGIES.stream().anyMatch(s -> !accuracies(s, setting).isEmpty())
                || setting.equals("fp32 channels-last");
    }

    private List<Double> accuracies(String strategy, String setting) {
        List<Double> out = new ArrayList<>();
        for (JsonNode n : all) {
            if (n.path("kind").asText().equals(ChannelsLastAccuracy.KIND)
                    && n.path("strategy").asText().equals(strategy)
                    && n.path("setting").asText().equals(setting)) {
                out.add(n.path("testAccuracy").asDouble());
            }
        }
        return out;
    }

    private static SeedInterval interval(List<Double> values) {
        return SeedInterval.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String percents(List<Double> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.format(Locale.ROOT, "%.1f", v * 100)));
        return String.join(", ", out);
    }

    private static String span(SeedInterval i) {
        return Double.isNaN(i.low()) ? "-" : String.format(Locale.ROOT, "%.2f-%.2f", i.low() * 100, i.high() * 100);
    }

    private static final List<String> PROFILE_SIDES =
            List.of("djl-trainer-env", "djl-glibc", "pytorch", "pytorch-tcmalloc");

    private TextTable profiledSteps() {
        TextTable t = new TextTable(
                "strategy",
                "px",
                "setting",
                "side",
                "step ms",
                "operators ms",
                "undisturbed ms",
                "kernel share %",
                "page faults/step");
        for (JsonNode n : operatorRows()) {
            if (!n.path("operator").asText().equals(OperatorProfile.ALL)) {
                continue;
            }
            for (String side : PROFILE_SIDES) {
                JsonNode s = n.path(side);
                if (s.isObject()) {
                    t.row(
                            n.path("strategy").asText(),
                            n.path("size").asInt(),
                            n.path("setting").asText(),
                            side,
                            s.path("stepMs").asDouble(),
                            s.path("selfMs").asDouble(),
                            s.path("undisturbedMs").asDouble(),
                            100 * s.path("kernelShare").asDouble(),
                            s.path("minorFaultsPerStep").asDouble());
                }
            }
        }
        return t;
    }

    private TextTable operators() {
        TextTable t = new TextTable(
                "strategy",
                "px",
                "setting",
                "operator",
                "DJL",
                "DJL glibc",
                "PyTorch",
                "PyTorch tcmalloc",
                "calls DJL/PyTorch");
        for (JsonNode n : operatorRows()) {
            t.row(
                    n.path("strategy").asText(),
                    n.path("size").asInt(),
                    n.path("setting").asText(),
                    n.path("operator").asText(),
                    selfAndUndisturbed(n.path(PROFILE_SIDES.get(0))),
                    selfAndUndisturbed(n.path(PROFILE_SIDES.get(1))),
                    selfAndUndisturbed(n.path(PROFILE_SIDES.get(2))),
                    selfAndUndisturbed(n.path(PROFILE_SIDES.get(3))),
                    n.path("operator").asText().equals(OperatorProfile.ALL)
                            ? ""
                            : TextTable.cell(n.path(PROFILE_SIDES.get(0))
                                            .path("calls")
                                            .asDouble()) + "/"
                                    + TextTable.cell(n.path(PROFILE_SIDES.get(2))
                                            .path("calls")
                                            .asDouble()));
        }
        return t;
    }

    private List<JsonNode> operatorRows() {
        return Benchmarks.select(all, n -> n.path("kind").asText().equals("operator"));
    }

    private static String selfAndUndisturbed(JsonNode side) {
        if (!side.isObject()) {
            return "-";
        }
        return TextTable.cell(side.path("selfMs").asDouble()) + " ("
                + TextTable.cell(side.path("undisturbedMs").asDouble()) + ")";
    }

    private TextTable pipeline() {
        TextTable t = new TextTable(
                "figure", "px", "data threads", "images/s", "fastest DJL train img/s", "ratio", "data wait s/epoch");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("pipeline")
                    && n.path("impl").asText().equals("djl")) {
                int size = n.path("size").asInt();
                Double fastest = fastestTrain(size);
                double rate = n.path("imagesPerSecond").asDouble();
                t.row(
                        "input pipeline alone (transforms + batching)",
                        size,
                        n.path("dataThreads").asInt(),
                        rate,
                        fastest,
                        fastest == null ? null : rate / fastest,
                        null);
            }
        }
        for (JsonNode n : all) {
            if (n.path("kind").asText().equals("train-fed")) {
                int size = n.path("size").asInt();
                Double alone = rate(find("djl", "train", n.path("strategy").asText(), size, "fp32"));
                double rate = n.path("imagesPerSecond").asDouble();
                t.row(
                        n.path("strategy").asText() + " train fed by the pipeline (prefetch "
                                + n.path("prefetchBatches").asInt() + "), vs model alone",
                        size,
                        n.path("dataThreads").asInt(),
                        rate,
                        alone,
                        alone == null ? null : rate / alone,
                        n.path("dataWaitSecondsPerEpoch").asDouble());
            }
        }
        return t;
    }

    private Double fastestTrain(int size) {
        Double best = null;
        for (String s : STRATEGIES) {
            Optional<JsonNode> n = find("djl", "train", s, size, "fp32");
            if (n.isPresent()) {
                double r = n.get().path("imagesPerSecond").asDouble();
                best = best == null ? r : Math.max(best, r);
            }
        }
        return best;
    }

    /** {@code ", NAME=value"} where the process had the variable set, nothing where not. */
    private static String variable(JsonNode engine, String name, String field) {
        return engine.path(field).isTextual()
                ? ", " + name + "=" + engine.path(field).asText()
                : "";
    }

    private TextTable engines() {
        TextTable t = new TextTable("process", "engine", "intra-op threads", "inter-op threads", "notes");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("engine")) {
                boolean py = n.path("impl").asText().equals("pytorch");
                String engine = py
                        ? "PyTorch " + n.path("torch").asText() + ", torchvision "
                                + n.path("torchvision").asText() + ", Python "
                                + n.path("python").asText()
                        : "DJL " + n.path("djlVersion").asText() + ", libtorch "
                                + n.path("engineVersion").asText();
                String notes = (py ? "torch.set_num_threads" : "-Dai.djl.pytorch.num_threads")
                        + variable(n, "OMP_WAIT_POLICY", "ompWaitPolicy")
                        + variable(n, "GOMP_SPINCOUNT", "gompSpinCount")
                        + variable(n, "GLIBC_TUNABLES", "glibcTunables")
                        + (n.path("ldPreload").isTextual()
                                ? ", LD_PRELOAD=" + n.path("ldPreload").asText()
                                : ", default allocator");
                t.row(
                        n.path("process").asText(),
                        engine,
                        n.path("intraOpThreads").asInt(),
                        n.path("interOpThreads").asInt(),
                        notes);
            }
        }
        return t;
    }

    /** Median peak RSS of each side's memory processes, every process's peak beside it, and DJL's over PyTorch's. */
    private TextTable memoryAgainstPyTorch() {
        Map<String, List<Double>> peaks = new LinkedHashMap<>();
        for (JsonNode n : all) {
            String process = n.path("process").asText();
            if (n.path("section").asText().equals("memory")
                    && n.path("plan").asText().equals("memory")) {
                peaks.computeIfAbsent(process.startsWith("djl") ? "DJL" : "PyTorch", side -> new ArrayList<>())
                        .add(n.path("peakRssMiB").asDouble());
            }
        }
        TextTable t = new TextTable("side", "processes", "median peak RSS MiB", "each process", "DJL/PyTorch");
        Double pytorch = peaks.containsKey("PyTorch") ? median(peaks.get("PyTorch")) : null;
        peaks.forEach((side, values) -> {
            double median = median(values);
            t.row(
                    side,
                    values.size(),
                    median,
                    wholeNumbers(values),
                    side.equals("DJL") ? ratio(median, pytorch) : null);
        });
        return t;
    }

    private static double median(List<Double> values) {
        return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private TextTable memory() {
        TextTable t = new TextTable("process", "peak RSS MiB (VmHWM)", "peak JVM heap MiB", "max heap MiB");
        for (JsonNode n : all) {
            if (n.path("section").asText().equals("memory")) {
                t.row(
                        n.path("process").asText(),
                        n.path("peakRssMiB").asDouble(),
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
                case "stack" ->
                    t.row(
                            "local stack start (broker + 3 services)",
                            n.path("startSeconds").asDouble(),
                            "s",
                            "LocalStack.start, free ports");
                case "request-latency" -> {
                    String how = "median of " + n.path("runs").asInt() + " runs; "
                            + n.path("experiment").asText();
                    t.row(
                            "request -> JobStarted, median",
                            n.path("medianToJobStartedSeconds").asDouble(),
                            "s",
                            how);
                    t.row(
                            "request -> first EpochCompleted, median",
                            n.path("medianToFirstEpochSeconds").asDouble(),
                            "s",
                            how);
                    t.row(
                            "request -> JobStarted, first run (cold)",
                            n.path("firstRunToJobStartedSeconds").asDouble(),
                            "s",
                            "includes consumer-group joins and JIT");
                    t.row(
                            "request -> first EpochCompleted, first run (cold)",
                            n.path("firstRunToFirstEpochSeconds").asDouble(),
                            "s",
                            "");
                    t.row(
                            "request -> first EpochCompleted, median of warm runs",
                            n.path("medianWarmToFirstEpochSeconds").asDouble(),
                            "s",
                            "runs 2..n");
                }
                case "results-ingest" -> {
                    t.row(
                            "results ingest, " + n.path("shape").asText(),
                            n.path("eventsPerSecond").asDouble(),
                            "events/s",
                            String.format(
                                    "%d EpochCompleted in %d experiments, first send to last one visible in GET%s",
                                    n.path("events").asInt(),
                                    n.path("experiments").asInt(),
                                    runs(n)));
                    t.row(
                            "  publishing alone",
                            n.path("publishEventsPerSecond").asDouble(),
                            "events/s",
                            "producer send + flush, acks=all");
                }
                case "results-latency" -> {
                    String how = String.format(
                            "%d requests at %d/s open loop, %d errors, %d skipped, %d-byte answer",
                            n.path("requests").asInt(),
                            n.path("targetRate").asInt(),
                            n.path("errors").asInt(),
                            n.path("skipped").asInt(),
                            n.path("responseBytes").asInt());
                    t.row("GET /experiments/{id} p50", n.path("p50Ms").asDouble(), "ms", how);
                    t.row("GET /experiments/{id} p99", n.path("p99Ms").asDouble(), "ms", "");
                    t.row("GET /experiments/{id} max", n.path("maxMs").asDouble(), "ms", "");
                }
                default -> {}
            }
        }
        return t;
    }

    /**
     * How a figure of several runs was made, e.g. "; median of 3 runs (20100, 24500, 26800) after 2 warm-up runs
     * (15000, 18000)"; empty for one run without warm-up.
     */
    static String runs(JsonNode n) {
        JsonNode each = n.path("runsEventsPerSecond");
        JsonNode warmUp = n.path("warmUpEventsPerSecond");
        String runs = each.size() < 2 ? "" : "; median of " + each.size() + " runs (" + rates(each) + ")";
        if (warmUp.isEmpty()) {
            return runs;
        }
        String warmUpRuns = warmUp.size() == 1 ? "1 warm-up run" : warmUp.size() + " warm-up runs";
        return (runs.isEmpty() ? ";" : runs) + " after " + warmUpRuns + " (" + rates(warmUp) + ")";
    }

    private static String rates(JsonNode each) {
        List<Double> rates = new ArrayList<>();
        each.forEach(rate -> rates.add(rate.asDouble()));
        return wholeNumbers(rates);
    }

    /** "1889, 1926, 1877": each value rounded to a whole number, in order. */
    private static String wholeNumbers(List<Double> values) {
        return String.join(
                ", ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    /** A short description of one measurement for the progress log. */
    static String oneLine(JsonNode n) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of(
                "section",
                "kind",
                "strategy",
                "setting",
                "size",
                "seed",
                "testAccuracy",
                "batch",
                "threads",
                "dataThreads",
                "imagesPerSecond",
                "dataWaitSecondsPerEpoch",
                "intraOpThreads",
                "interOpThreads",
                "peakRssMiB",
                "engineVersion",
                "torch")) {
            if (n.has(k)) {
                JsonNode v = n.get(k);
                parts.add(k + "=" + (v.isFloatingPointNumber() ? TextTable.cell(v.asDouble()) : v.asText()));
            }
        }
        return String.join(" ", parts);
    }
}
