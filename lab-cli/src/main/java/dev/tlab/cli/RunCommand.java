package dev.tlab.cli;

import dev.tlab.cli.client.ExperimentSubmitter;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.StackSecrets;
import dev.tlab.cli.stack.StackSettings;
import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.DatasetSource;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.DatasetSplit;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: broker and services up, one experiment submitted (the dataset service checks it and publishes the Kafka
 * message that starts it), progress shown live, the leaderboard printed, everything stopped (unless
 * {@code --keep-running}).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole lab locally (no Docker): broker, dataset, trainer and results services; one "
                    + "experiment; live progress; the leaderboard.",
            "Defaults work offline on a small CPU in minutes: synthetic data, 32 px images, the small demo model "
                    + "with random weights. --notebook runs the notebook's study (CIFAR-10, 224 px, 300 per class, "
                    + "10 epochs, ResNet-18 with ImageNet weights): it downloads and verifies CIFAR-10 and the "
                    + "weights first, or, offline (--offline), says which files to place where."
        })
class RunCommand implements Callable<Integer> {
    /** Where --notebook looks for the pretrained model unless --model names one (see the README). */
    static final String PRETRAINED_MODEL = "models/resnet18-imagenet.pt";

    @Mixin
    ExperimentOptions experiment;

    @Option(names = "--notebook", description = "Use the notebook's settings instead of the small offline demo.")
    boolean notebook;

    @Option(names = "--cifar-dir", paramLabel = "DIR", description = "Folder holding cifar-10-batches-bin/.")
    Path cifarDir;

    @Option(names = "--cifar-archive", paramLabel = "FILE", description = "cifar-10-binary.tar.gz on disk.")
    Path cifarArchive;

    @Option(names = "--cifar-url", description = "Where to download cifar-10-binary.tar.gz (its md5 is verified).")
    String cifarUrl;

    @Option(
            names = "--images",
            paramLabel = "DIR|ARCHIVE",
            description = "Your own labelled images instead of synthetic data: a folder (DIR/<class>/<image>, or"
                    + " DIR/{train,val,test}/<class>/<image>) or a .zip, .tar, .tar.gz or .tgz archive of one. The"
                    + " local dataset service may read that folder (or the archive's folder) and nothing else.")
    Path images;

    @Option(
            names = "--val-fraction",
            description = "With --images and no split folders: the share of each class kept for validation"
                    + " (default 0.1).")
    Double valFraction;

    @Option(
            names = "--test-fraction",
            description =
                    "With --images and no split folders: the share of each class kept for the test" + " (default 0.2).")
    Double testFraction;

    @Option(names = "--split-seed", description = "With --images: the seed of the split (default 0).")
    Long splitSeed;

    @Option(
            names = "--rejects",
            description = "With --images: skip (default: an image that cannot be used is listed with its reason and"
                    + " left out) or fail (the dataset is refused, naming it).")
    String rejects;

    @Option(
            names = "--synthetic-images-per-class",
            defaultValue = "200",
            description = "Training images per class the synthetic generator writes (default ${DEFAULT-VALUE}).")
    int syntheticImagesPerClass;

    @Option(names = "--trainers", defaultValue = "1", description = "Trainer processes (default ${DEFAULT-VALUE}).")
    int trainers;

    @Option(names = "--device", defaultValue = "auto", description = "auto (GPU when present), cpu or gpu.")
    String device;

    @Option(
            names = "--offline",
            description = "Download nothing (also when DJL_OFFLINE=true): --notebook then says "
                    + "which files to place where if they are missing.")
    boolean offline;

    @Option(names = "--keep-running", description = "Leave the stack up after the leaderboard (Ctrl-C stops it).")
    boolean keepRunning;

    @Option(
            names = "--work-dir",
            defaultValue = ".lab",
            description = "Broker data, datasets, checkpoints, logs (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--root",
            defaultValue = ".",
            description = "The repository checkout (default: the current folder).")
    Path root;

    @Option(
            names = "--bind",
            defaultValue = StackSettings.LOOPBACK,
            paramLabel = "ADDRESS",
            description =
                    "Address the broker and the services listen on (default ${DEFAULT-VALUE}: this machine only); "
                            + "0.0.0.0 opens them to the network. Either way Kafka needs the generated passwords and the REST "
                            + "API the generated tokens (in <work-dir>/secrets).")
    String bind;

    @Option(names = "--kafka-port", defaultValue = "9092")
    int kafkaPort;

    @Option(names = "--dataset-port", defaultValue = "8081")
    int datasetPort;

    @Option(names = "--results-port", defaultValue = "8082")
    int resultsPort;

    @Option(
            names = "--trainer-port",
            defaultValue = "8083",
            description = "First trainer's port; more trainers take the next ones.")
    int trainerPort;

    @Option(
            names = "--timeout",
            defaultValue = "PT2H",
            description = "Give up after this ISO-8601 duration (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        ExperimentRequested request = experiment.toSubmission(defaults()).toEvent();
        if (notebook) {
            request = withNotebookInputs(request);
            if (request == null) {
                return ExitCodes.USAGE;
            }
        }
        StackSettings settings = new StackSettings(
                root,
                workDir,
                bind,
                kafkaPort,
                datasetPort,
                resultsPort,
                trainerPort,
                trainers,
                datasetConfig(),
                trainerConfig(request.model()),
                Map.of());
        describe(request, settings);

        AtomicReference<LocalStack> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            LocalStack stack = running.getAndSet(null);
            if (stack != null) {
                System.out.println("\nstopping the local stack...");
                stack.close();
            }
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);

        LocalStack stack = LocalStack.start(settings, line -> System.out.println("  " + line));
        running.set(stack);
        try {
            new ExperimentSubmitter(settings.datasetUrl(), stack.secrets().triggerToken())
                    .submit(submissionOf(request));
        } catch (RuntimeException rejected) {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
            running.set(null);
            stack.close();
            throw rejected;
        }
        ResultsClient results = new ResultsClient(settings.resultsUrl());
        System.out.printf(
                "%nexperiment %s accepted (published to Kafka by the dataset service); page: %s%n%n",
                request.experimentId(), results.pageUrl(request.experimentId()));

        Views.Experiment done = ExperimentWatcher.watch(
                results,
                request.experimentId(),
                request.strategies().size(),
                timeout,
                new ProgressView(System.out, System.console() != null),
                () -> stack.check(death -> System.out.println("\n  ! " + death)));
        System.out.println();
        System.out.print(LeaderboardTable.render(
                results.leaderboard(request.experimentId()).orElseThrow()));
        if (Boolean.TRUE.equals(request.dataset().synthetic())) {
            System.out.println("Note: SYNTHETIC data"
                    + (notebook || experiment.model != null ? "" : " and a small model with random weights")
                    + " — a demo of the system, not the notebook's CIFAR-10 result.");
        }
        System.out.printf("Page: %s%n", results.pageUrl(request.experimentId()));
        ExperimentWatcher.reportFailure(done, System.err);
        int exitCode = ExperimentWatcher.exitCode(done);
        if (keepRunning) {
            System.out.printf(
                    "The stack keeps running (Kafka %s, dataset %s, results %s). Ctrl-C stops it.%n",
                    stack.bootstrapServers(), settings.datasetUrl(), settings.resultsUrl());
            System.out.printf(
                    "POST /experiments needs \"Authorization: Bearer $(cat %s)\"; ./lab trigger logs in to "
                            + "Kafka with %s.%n",
                    stack.secrets().triggerTokenFile(), stack.secrets().triggerKafkaConfig());
            stopped.await();
        } else {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
            running.set(null);
            stack.close();
        }
        return exitCode;
    }

    /**
     * The notebook's inputs, fetched and verified before anything starts: CIFAR-10 (unless a source was named or it is
     * already unpacked in the work dir) and the ImageNet weights for the shipped ResNet-18 architecture (unless a model
     * or weights were named, or an exported {@value #PRETRAINED_MODEL} exists). Null after printing what is missing.
     */
    private ExperimentRequested withNotebookInputs(ExperimentRequested request) {
        ModelSpec model = request.model();
        Path exported = root.resolve(PRETRAINED_MODEL).toAbsolutePath().normalize();
        boolean ownModel = model.uri() != null || model.weightsUri() != null;
        boolean useExported = !ownModel && Files.isRegularFile(exported);
        boolean cifarNamed = images != null
                || cifarDir != null
                || cifarArchive != null
                || cifarUrl != null
                || request.dataset().location() != null
                || Files.isDirectory(workDir.resolve("data").resolve("cifar-10-batches-bin"));
        Path archive = cifarNamed
                ? null
                : workDir.resolve("data").resolve(NotebookInputs.CIFAR_FILE).toAbsolutePath();
        NotebookInputs.Prepared inputs;
        try {
            inputs = NotebookInputs.prepare(
                    root,
                    !ownModel && !useExported,
                    archive,
                    offline || "true".equalsIgnoreCase(System.getenv("DJL_OFFLINE")),
                    System.out);
        } catch (NotebookInputs.Missing missing) {
            System.err.println(missing.getMessage());
            return null;
        }
        if (archive != null) {
            cifarArchive = inputs.cifarArchive();
        }
        if (ownModel) {
            return request;
        }
        ModelSpec notebookModel = useExported
                ? ModelSpec.of(exported.toString())
                : new ModelSpec(
                        ModelSpec.BUILT_IN_RESNET18, null, inputs.weights().toString(), NotebookInputs.WEIGHTS_SHA256);
        return new ExperimentRequested(
                request.eventId(),
                request.type(),
                request.schemaVersion(),
                request.occurredAt(),
                request.experimentId(),
                request.dataset(),
                request.subset(),
                request.strategies(),
                request.hyperParameters(),
                notebookModel,
                request.seeds());
    }

    /**
     * The device, and the folders of the local model and weights files the request names as model folders of the
     * trainers besides the repository's models/ (tlab.trainer.model-roots): they read nothing outside those.
     */
    private Map<String, String> trainerConfig(ModelSpec model) {
        List<Path> folders = new ArrayList<>();
        for (String location : model == null ? new String[0] : new String[] {model.uri(), model.weightsUri()}) {
            if (location != null && !location.contains("://") && !location.startsWith("builtin:")) {
                Path file = location.regionMatches(true, 0, "file:", 0, 5)
                        ? Path.of(java.net.URI.create(location))
                        : Path.of(location);
                Path parent = file.toAbsolutePath().normalize().getParent();
                if (parent != null) {
                    folders.add(parent);
                }
            }
        }
        return Map.of(
                "tlab.trainer.device",
                device,
                "tlab.trainer.model-roots",
                StackSettings.modelRoots(root, workDir, folders.toArray(Path[]::new)));
    }

    private static ExperimentSubmission submissionOf(ExperimentRequested r) {
        return new ExperimentSubmission(
                r.experimentId(), r.dataset(), r.subset(), r.strategies(), r.hyperParameters(), r.model(), r.seeds());
    }

    private ExperimentSubmission defaults() {
        if (images != null) {
            // the user's images: every training image (subset all), the notebook's settings with --notebook, else the
            // offline demo's small images and model
            return new ExperimentSubmission(
                    null,
                    imagesDataset(),
                    SubsetPolicy.all(),
                    null,
                    notebook
                            ? HyperParameters.notebook()
                            : HyperParameters.notebook().withImageSize(32),
                    null,
                    List.of(0L));
        }
        if (notebook) {
            return new ExperimentSubmission(
                    null,
                    DatasetSpec.of(DatasetSpec.CIFAR10),
                    SubsetPolicy.notebook(),
                    null,
                    HyperParameters.notebook(),
                    null,
                    List.of(0L));
        }
        return new ExperimentSubmission(
                null,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, Math.min(100, syntheticImagesPerClass), 0L),
                null,
                HyperParameters.notebook().withImageSize(32),
                null,
                List.of(0L));
    }

    /** The request's dataset for --images: the path as given, made absolute, under the root {@link #imageRoot}. */
    DatasetSpec imagesDataset() {
        DatasetSplit split = valFraction == null && testFraction == null && splitSeed == null
                ? null
                : new DatasetSplit(valFraction, testFraction, splitSeed);
        return new DatasetSpec(
                DatasetSpec.IMAGES,
                null,
                DatasetSource.location(images.toAbsolutePath().normalize().toString()),
                split,
                rejects);
    }

    /** The one folder the local dataset service may read images from: the dataset's folder, or the archive's. */
    Path imageRoot() {
        Path path = images.toAbsolutePath().normalize();
        return Files.isDirectory(path) || path.getParent() == null ? path : path.getParent();
    }

    Map<String, String> datasetConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        if (images != null) {
            config.put("tlab.dataset.images.roots", imageRoot().toString());
        }
        config.put("tlab.dataset.synthetic.images-per-class", Integer.toString(syntheticImagesPerClass));
        config.put(
                "tlab.dataset.synthetic.test-images-per-class",
                Integer.toString(Math.max(20, syntheticImagesPerClass / 4)));
        if (cifarDir != null) {
            config.put("tlab.dataset.cifar10.folder", cifarDir.toAbsolutePath().toString());
        }
        if (cifarArchive != null) {
            config.put(
                    "tlab.dataset.cifar10.archive",
                    cifarArchive.toAbsolutePath().toString());
        }
        if (cifarUrl != null) {
            config.put("tlab.dataset.cifar10.url", cifarUrl);
        }
        return config;
    }

    private static void describe(ExperimentRequested request, StackSettings settings) {
        HyperParameters hp = request.hyperParameters();
        System.out.printf("Transfer-learning strategy lab — local run%n");
        if (request.dataset().images()) {
            DatasetSplit split = request.dataset().split();
            System.out.printf(
                    "  dataset   your images from %s (split val %s, test %s, seed %d; rejects: %s), subset %s%n",
                    request.dataset().source().describe(),
                    split.val(),
                    split.test(),
                    split.seed(),
                    request.dataset().rejects(),
                    request.subset().everyImage()
                            ? "all"
                            : request.subset().name() + ", " + request.subset().samplesPerClass() + " per class");
        } else {
            System.out.printf(
                    "  dataset   %s%s, %s, %d per class%n",
                    request.dataset().name(),
                    request.dataset().synthetic() ? " (SYNTHETIC: generated patterns, not CIFAR-10)" : "",
                    request.subset().name(),
                    request.subset().samplesPerClass());
        }
        System.out.printf(
                "  model     %s%n",
                request.model().uri() != null
                        ? request.model().uri()
                        : settings.demoModel() + " (demo model, RANDOM weights, not ImageNet-pretrained)");
        System.out.printf(
                "  training  %d epochs, %d px, %s, batch %d/%d, strategies %s, seeds %s%n",
                hp.epochs(),
                hp.imageSize(),
                hp.precision(),
                hp.trainBatchSize(),
                hp.evalBatchSize(),
                request.strategies().stream().map(s -> s.name()).toList(),
                request.seeds());
        if (hp.selection() != null) {
            System.out.printf(
                    "  testing   on the epoch with the best %s%s%n",
                    hp.selection().metricWords(),
                    hp.selection().patience() == null
                            ? ""
                            : ", stopping after " + hp.selection().patience() + " epochs without improvement");
        }
        System.out.printf(
                "  listens   %s%s%n",
                settings.bindAddress(),
                settings.bindAddress().equals(StackSettings.LOOPBACK)
                        ? " (this machine only)"
                        : " (reachable from the network: --bind)");
        System.out.printf(
                "  work dir  %s (generated tokens and Kafka passwords in %s/)%n%n",
                settings.workDir(), StackSecrets.FOLDER);
    }
}
