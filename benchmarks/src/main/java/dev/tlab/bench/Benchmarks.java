package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.stack.NativeEnvironment;
import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.SyntheticCifar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Runs the benchmarks of docs/spec.md §8 once, prints the tables and writes everything as JSON.
 *
 * <p>Arguments: {@code --out FILE} (JSON; a Markdown copy of the tables goes next to it), {@code --sections
 * trainer,python,stack} (default all; {@code small} alone: partial and full at 32 px in fp32, DJL and PyTorch, 20 timed
 * steps; {@code notebook}: the trainer end to end against the notebook's own loop, issue 30, not in the default),
 * {@code --quick} (fewer steps, for trying it out), {@code --python /usr/bin/python3}, {@code --notebook-sizes 32,224}
 * and {@code --notebook-batches N} (the notebook section's image sizes and batches per epoch, 0 = the whole epoch). The
 * trainer runs in child JVMs, one per intra-op thread count, because libtorch fixes its thread pools when the engine
 * starts. {@code --sections=channels-last-accuracy} (not in the default) trains the synthetic schedule with
 * channels-last on and off over three seeds and fails the run when the accuracies differ beyond the seeds' interval.
 * {@code --sections=profile} (not in the default) profiles a few training steps per row of {@link ProfileRow#DEFAULT}
 * operator by operator on both sides, each side with glibc's malloc and with tcmalloc where it is installed (DJL's
 * trainers preload it: lab-cli's {@code TrainerAllocator}).
 */
public final class Benchmarks {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The section of the rows the optimizer decides: partial and full at 32 px in fp32, both sides. */
    static final String SMALL = "small";
    /** The section of issue 30's table: the trainer end to end against the notebook's loop, both sides. */
    static final String NOTEBOOK = "notebook";
    /**
     * Channels-last (and bf16 channels-last on a CPU with bf16 arithmetic) against fp32 on the synthetic schedule, 3
     * seeds: accuracy unchanged (issue 30).
     */
    static final String CHANNELS_LAST_ACCURACY = "channels-last-accuracy";
    /** Training steps operator by operator, DJL against PyTorch, each with glibc's malloc and tcmalloc (issue 30). */
    static final String PROFILE = "profile";
    /** The operators a profile table shows per row: the heaviest on either side. */
    private static final int PROFILE_OPERATORS = 8;
    /** The notebook's subset: 300 images per class. */
    private static final int NOTEBOOK_IMAGES = 3000;
    /** Memory processes per side (each only trains full at 224 px). */
    private static final int MEMORY_PROCESSES = 3;

    private final Path root;
    private final Path target;
    private final boolean quick;
    private final String python;
    private String notebookSizes = "32,224";
    private int notebookBatches;
    private final ArrayNode results = JSON.createArrayNode();
    private final List<String> notes = new ArrayList<>();

    private Benchmarks(Path root, Path target, boolean quick, String python) {
        this.root = root;
        this.target = target;
        this.quick = quick;
        this.python = python;
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        boolean quick = false;
        String python = "/usr/bin/python3";
        String notebookSizes = "32,224";
        int notebookBatches = 0;
        Set<String> sections = new LinkedHashSet<>(List.of("trainer", "python", "stack", "images"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--sections=")) {
                sections = new LinkedHashSet<>(
                        List.of(a.substring("--sections=".length()).split(",")));
                continue;
            }
            switch (a) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--python" -> python = args[++i];
                case "--notebook-sizes" -> notebookSizes = args[++i];
                case "--notebook-batches" -> notebookBatches = Integer.parseInt(args[++i]);
                case "--sections" -> sections = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default ->
                    throw new IllegalArgumentException("unknown argument " + a
                            + " (use --out FILE, --sections trainer,python,stack,images or small or notebook or"
                            + " channels-last-accuracy, --quick,"
                            + " --python EXE, --notebook-sizes 32,224, --notebook-batches N)");
            }
        }
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        if (out == null) {
            out = root.resolve("benchmarks/target/benchmarks.json");
        }
        Benchmarks b = new Benchmarks(root, out.toAbsolutePath().getParent(), quick, python);
        NotebookRun.sizes(notebookSizes);
        NotebookRun.batchesToRun(notebookBatches, quick, 1);
        b.notebookSizes = notebookSizes;
        b.notebookBatches = notebookBatches;
        b.runAll(sections, out.toAbsolutePath());
    }

    private void runAll(Set<String> sections, Path out) throws Exception {
        Files.createDirectories(target);
        long t0 = System.nanoTime();
        ObjectNode report = JSON.createObjectNode();
        report.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.put("quick", quick);
        report.set("machine", Machine.describe());
        // DJL and PyTorch alternate so that each comparison is measured close in time on a shared machine; the memory
        // plans are processes of their own, so that each peak is one training job's
        Path model = sections.contains("trainer") ? unpackModel() : null;
        // A peak moves by up to 0.4 GB between identical processes (glibc's malloc; PyTorch's side keeps its default
        // allocator), so the memory plan runs three times per side and the report compares the medians.
        // the section "small" alone: partial and full at 32 px in fp32, DJL then PyTorch, nothing else
        List<String> plans =
                sections.equals(Set.of(SMALL)) ? List.of(TrainerBench.SMALL_PLAN) : List.of("main", "memory");
        if (sections.contains(SMALL)) {
            model = unpackModel();
        }
        for (String plan : plans) {
            int processes = plan.equals("memory") && !quick ? MEMORY_PROCESSES : 1;
            for (int i = 1; i <= processes; i++) {
                String suffix = processes > 1 ? "-" + i : "";
                if (model != null) {
                    trainerChild(model, 2, plan, suffix);
                }
                if (sections.contains("python") || sections.contains(SMALL)) {
                    pythonChild(2, plan, suffix);
                }
            }
        }
        if (sections.contains(NOTEBOOK)) {
            notebookChildren(model == null ? unpackModel() : model);
        }
        if (sections.contains(CHANNELS_LAST_ACCURACY)) {
            channelsLastAccuracyChild();
        }
        if (sections.contains(PROFILE)) {
            profileChildren(model == null ? unpackModel() : model);
        }
        if (sections.contains("stack")) {
            List<String> missing = BenchStack.missingJars(root);
            if (missing.isEmpty()) {
                try {
                    new StackBench(root, target.resolve("stack-" + System.currentTimeMillis()), this::add, quick)
                            .run(true, true);
                } catch (Exception e) {
                    note("stack benchmarks failed: " + e);
                    e.printStackTrace();
                }
            } else {
                note("stack benchmarks skipped: build the services first (./mvnw -B install -DskipTests); missing "
                        + missing);
            }
        }
        if (sections.contains("images")) {
            imageFolderChildren();
        }
        ObjectNode after = JSON.createObjectNode();
        after.put("loadAverageAtEnd", Machine.loadAverage());
        after.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        report.set("run", after);
        report.set("measurements", results);
        ArrayNode n = report.putArray("notes");
        notes.forEach(n::add);

        Report tables = new Report(results);
        String text = tables.text();
        System.out.println();
        System.out.println("Benchmarks " + report.get("date").asText() + " on "
                + report.get("machine").path("cpuModel").asText()
                + " (" + report.get("machine").path("processors").asInt() + " CPUs), load average at start "
                + report.get("machine").path("loadAverage").asText() + ", at end "
                + after.get("loadAverageAtEnd").asText());
        System.out.println(text);
        TextTable images = ImageFolderBench.table(
                select(results, m -> m.path("kind").asText().startsWith("image-")));
        if (images.size() > 0) {
            System.out.println(images.render());
        }
        notes.forEach(s -> System.out.println("note: " + s));
        report.put("markdown", tables.markdown() + (images.size() > 0 ? "\n" + images.markdown() : ""));
        AtomicFiles.writeString(out, JSON.writeValueAsString(report));
        Path md = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        AtomicFiles.writeString(md, tables.markdown());
        System.out.printf("wrote %s and %s in %.0f s%n", out, md, (System.nanoTime() - t0) / 1e9);
        if (sections.contains(CHANNELS_LAST_ACCURACY)) {
            List<String> changed = tables.accuracyChanged();
            if (!changed.isEmpty()) {
                // a claim about results, not a timing: the run fails when it does not hold
                System.out.println("the accuracy of " + changed + " moved beyond the seeds' 95% interval against fp32"
                        + " (or a setting is missing): see the table above");
                System.exit(1);
            }
            System.out.println("channels-last (and bf16 channels-last where it ran) leaves every strategy's accuracy"
                    + " within the seeds' 95% interval of fp32");
        }
    }

    /**
     * The engine trains the synthetic schedule per strategy and seed, channels-last on and off, and on a CPU with bf16
     * arithmetic also in bf16 channels-last (one child JVM).
     */
    private void channelsLastAccuracyChild() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_threads=2",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                ChannelsLastAccuracy.class.getName(),
                "--model",
                root.resolve("models/resnet18-narrow.pt").toString(),
                "--work",
                target.resolve("channels-last-accuracy").toString()));
        if (quick) {
            cmd.add("--quick");
        }
        if (Machine.hasNativeBf16()) {
            cmd.add("--bf16");
        }
        child("djl-channels-last-accuracy", cmd, 60, NativeEnvironment.trainer());
    }

    /**
     * The section {@code profile}: the trainer's steps under libtorch's profiler with the trainers' environment
     * (tcmalloc preloaded where installed) and again with glibc's malloc, PyTorch's under its autograd profiler as its
     * users run it and, where tcmalloc is installed, with it too; the same rows each; then one comparison per row and
     * operator, from the traces.
     */
    private void profileChildren(Path model) throws Exception {
        Path traces = target.resolve("profile");
        Files.createDirectories(traces);
        String rows = ProfileRow.format(ProfileRow.DEFAULT);
        Map<String, String> trainers = NativeEnvironment.trainer();
        boolean tcmalloc = trainers.containsKey("LD_PRELOAD");
        Map<String, Map<String, String>> djlSides = new java.util.LinkedHashMap<>();
        djlSides.put("trainer-env", trainers);
        if (tcmalloc) {
            Map<String, String> glibc = new java.util.HashMap<>(trainers);
            glibc.remove("LD_PRELOAD");
            djlSides.put("glibc", glibc);
        }
        for (Map.Entry<String, Map<String, String>> side : djlSides.entrySet()) {
            Path dir = traces.resolve(side.getKey());
            Files.createDirectories(dir);
            List<String> cmd = trainerBench(model, 2, TrainerBench.PROFILE_PLAN);
            cmd.addAll(List.of("--rows", rows, "--trace-dir", dir.toString()));
            if (quick) {
                cmd.add("--quick");
            }
            child("djl-profile-" + side.getKey(), cmd, 30, side.getValue());
        }
        if (!Files.isExecutable(Path.of(python))) {
            note("PyTorch profile skipped: " + python
                    + " not found (apt-get install python3-torch python3-torchvision)");
        } else {
            // libgomp's waiting as for a trainer alone on these CPUs, nothing else
            Map<String, String> asWritten = NativeEnvironment.openMp(1);
            pythonProfile("pytorch-profile", traces, rows, asWritten);
            if (tcmalloc) {
                Map<String, String> withTcmalloc = new java.util.HashMap<>(asWritten);
                withTcmalloc.put("LD_PRELOAD", trainers.get("LD_PRELOAD"));
                pythonProfile("pytorch-profile-tcmalloc", traces.resolve("tcmalloc"), rows, withTcmalloc);
            }
        }
        for (ProfileRow row : ProfileRow.DEFAULT) {
            compareProfiles(row);
        }
    }

    private void pythonProfile(String name, Path traceDir, String rows, Map<String, String> environment)
            throws Exception {
        Files.createDirectories(traceDir);
        List<String> py = new ArrayList<>(List.of(
                python,
                root.resolve("benchmarks/python/torch_bench.py").toString(),
                "--threads",
                "2",
                "--plan",
                TrainerBench.PROFILE_PLAN,
                "--rows",
                rows,
                "--trace-dir",
                traceDir.toString()));
        if (quick) {
            py.add("--quick");
        }
        child(name, py, 30, environment);
    }

    /** One {@code operator} measurement per heavy operator of a row, each side's figures side by side. */
    private void compareProfiles(ProfileRow row) throws IOException {
        Map<String, OperatorProfile> sides = new java.util.LinkedHashMap<>();
        Map<String, JsonNode> steps = new java.util.LinkedHashMap<>();
        for (JsonNode n : select(
                results,
                m -> m.path("kind").asText().equals("profile")
                        && m.path("strategy").asText().equals(row.strategy())
                        && m.path("size").asInt() == row.size()
                        && m.path("setting").asText().equals(row.setting()))) {
            String side = n.path("process").asText().replace("-profile", "");
            sides.put(
                    side,
                    OperatorProfile.read(
                            Path.of(n.path("trace").asText()),
                            n.path("timedSteps").asInt()));
            steps.put(side, n);
        }
        if (sides.isEmpty()) {
            return;
        }
        List<String> names =
                new ArrayList<>(OperatorProfile.heaviest(new ArrayList<>(sides.values()), PROFILE_OPERATORS));
        names.add(OperatorProfile.ALL);
        for (String name : names) {
            ObjectNode n = JSON.createObjectNode();
            n.put("section", "trainer")
                    .put("kind", "operator")
                    .put("strategy", row.strategy())
                    .put("size", row.size())
                    .put("setting", row.setting())
                    .put("operator", name);
            sides.forEach((side, p) -> {
                ObjectNode s = n.putObject(side);
                if (name.equals(OperatorProfile.ALL)) {
                    JsonNode m = steps.get(side);
                    int timed = m.path("timedSteps").asInt();
                    s.put("selfMs", p.selfMsPerStep())
                            .put("undisturbedMs", p.undisturbedMsPerStep())
                            .put("stepMs", m.path("medianStepSeconds").asDouble() * 1000)
                            .put(
                                    "kernelShare",
                                    m.path("systemSeconds").asDouble()
                                            / (m.path("userSeconds").asDouble()
                                                    + m.path("systemSeconds").asDouble()))
                            .put(
                                    "minorFaultsPerStep",
                                    m.path("minorFaultsPerStep").asDouble())
                            .put("steps", timed);
                } else {
                    OperatorProfile.Operator o = p.operator(name);
                    s.put("selfMs", o.selfMs())
                            .put("undisturbedMs", o.undisturbedMs())
                            .put("calls", o.calls());
                }
            });
            add(n);
        }
    }

    private void add(ObjectNode n) {
        synchronized (results) {
            results.add(n);
        }
    }

    private void note(String s) {
        System.out.println("note: " + s);
        notes.add(s);
    }

    /** The full-size ResNet-18 TorchScript file from the trainer's test resources, unpacked once into target/. */
    private Path unpackModel() throws IOException {
        Path gz = root.resolve("trainer-engine/src/main/resources/models/resnet18-full-constant.pt.gz");
        Path pt = target.resolve("models/resnet18-full.pt");
        if (!Files.isRegularFile(pt) || Files.getLastModifiedTime(pt).compareTo(Files.getLastModifiedTime(gz)) < 0) {
            AtomicFiles.write(pt, out -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                    in.transferTo(out);
                }
            });
        }
        return pt;
    }

    private void trainerChild(Path model, int threads, String plan, String suffix) throws Exception {
        List<String> cmd = trainerBench(model, threads, plan);
        if (quick) {
            cmd.add("--quick");
        }
        child("djl-" + plan + "-t" + threads + suffix, cmd, 20, NativeEnvironment.trainer());
    }

    /**
     * The command line of a {@link TrainerBench} child JVM on this classpath: libtorch's intra-op threads as asked, one
     * inter-op thread (what Debian's torch reports too); the plan's own arguments follow.
     */
    private static List<String> trainerBench(Path model, int threads, String plan) {
        return new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerBench.class.getName(),
                "--model",
                model.toString(),
                "--threads",
                String.valueOf(threads),
                "--plan",
                plan));
    }

    /**
     * Issue 30's comparison: the trainer end to end (TrainerBench's notebook plan) and the notebook's own loop
     * (notebook_bench.py) on the same 3,000 synthetic images, written once as CIFAR-10 binary records; then the peak
     * this machine's CPUs could reach, for the table's fraction of peak.
     */
    private void notebookChildren(Path model) throws Exception {
        Path data = target.resolve("notebook/train.bin");
        AtomicFiles.write(data, out -> out.write(SyntheticCifar.records(NOTEBOOK_IMAGES, 0)));
        List<String> shape = new ArrayList<>(List.of(
                "--sizes", notebookSizes, "--batches", String.valueOf(notebookBatches), "--data", data.toString()));
        if (quick) {
            shape.add("--quick");
        }
        List<String> java = trainerBench(model, 2, TrainerBench.NOTEBOOK_PLAN);
        java.addAll(shape);
        child("djl-notebook-t2", java, 60, NativeEnvironment.trainer());
        if (!Files.isExecutable(Path.of(python))) {
            note("notebook comparison skipped: " + python
                    + " not found (apt-get install python3-torch python3-torchvision)");
        } else {
            List<String> py = new ArrayList<>(List.of(
                    python, root.resolve("benchmarks/python/notebook_bench.py").toString(), "--threads", "2"));
            py.addAll(shape);
            if (Machine.hasNativeBf16()) {
                py.add("--native-bf16"); // the trainer's notebook plan adds bf16 channels-last on such a CPU too
            }
            // the notebook as its users run it: no OpenMP, thread or allocator settings beyond set_num_threads(2), also
            // none this JVM inherited (libgomp's own default: its idle workers spin, then sleep)
            Map<String, String> asWritten = new java.util.HashMap<>();
            asWritten.put(NativeEnvironment.WAIT_POLICY, null);
            asWritten.put(NativeEnvironment.SPIN_COUNT, null);
            child("pytorch-notebook-t2", py, 60, asWritten);
        }
        add(PeakFlops.ofThisMachine(2).toJson());
    }

    private void pythonChild(int threads, String plan, String suffix) throws Exception {
        if (!Files.isExecutable(Path.of(python))) {
            note("PyTorch comparison skipped: " + python
                    + " not found (apt-get install python3-torch python3-torchvision)");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(
                python,
                root.resolve("benchmarks/python/torch_bench.py").toString(),
                "--threads",
                String.valueOf(threads),
                "--plan",
                plan));
        if (quick) {
            cmd.add("--quick");
        }
        if (!Machine.hasNativeBf16()) {
            cmd.add("--emulated-bf16");
        }
        // PyTorch as its users run it: only libgomp's waiting, as for a trainer alone on these CPUs, no allocator
        // settings
        child("pytorch-" + plan + "-t" + threads + suffix, cmd, 20, NativeEnvironment.openMp(1));
    }

    /**
     * The image-folder pipeline, Java then PyTorch on the same folder of JPEGs (made once under target/), each with 1
     * and 2 data threads (worker processes on PyTorch's side).
     */
    private void imageFolderChildren() throws Exception {
        Path folder = target.resolve("imagefolder-bench");
        List<String> java = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ImageFolderBench.class.getName(),
                "--folder",
                folder.toString(),
                "--images",
                String.valueOf(quick ? 120 : 400));
        List<String> javaCmd = new ArrayList<>(java);
        if (quick) {
            javaCmd.add("--quick");
        }
        child("djl-images", javaCmd, 20, Map.of());
        if (!Files.isExecutable(Path.of(python))) {
            note("image pipeline comparison skipped: " + python + " not found");
            return;
        }
        List<String> py = new ArrayList<>(List.of(
                python,
                root.resolve("benchmarks/python/imagefolder_bench.py").toString(),
                "--folder",
                folder.toString()));
        if (quick) {
            py.add("--quick");
        }
        child("pytorch-images", py, 20, Map.of("OMP_WAIT_POLICY", "PASSIVE"));
    }

    /** Runs a child, echoing its output and collecting its {@code @@BENCH} lines; tags each with the child's name. */
    private void child(String name, List<String> cmd, int timeoutMinutes, Map<String, String> environment)
            throws Exception {
        System.out.println("[" + name + "] starting");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // a null value unsets a variable this JVM would pass on
        environment.forEach((variable, value) -> {
            if (value == null) {
                pb.environment().remove(variable);
            } else {
                pb.environment().putIfAbsent(variable, value);
            }
        });
        pb.environment().putIfAbsent("DJL_OFFLINE", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith(TrainerBench.PREFIX)) {
                                ObjectNode n = (ObjectNode) JSON.readTree(line.substring(TrainerBench.PREFIX.length()));
                                n.put("process", name);
                                add(n);
                                System.out.println("[" + name + "] " + Report.oneLine(n));
                            } else {
                                System.out.println("[" + name + "] " + line);
                            }
                        }
                    } catch (IOException e) {
                        System.out.println("[" + name + "] output lost: " + e);
                    }
                },
                name + "-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            note(name + " timed out after " + timeoutMinutes + " min");
        }
        reader.join(5000);
        if (p.exitValue() != 0) {
            note(name + " exited with status " + p.exitValue());
        }
    }

    static List<JsonNode> select(ArrayNode all, Predicate<JsonNode> filter) {
        List<JsonNode> out = new ArrayList<>();
        all.forEach(n -> {
            if (filter.test(n)) {
                out.add(n);
            }
        });
        return out;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
