package dev.tlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.ChannelsLast;
import dev.tlab.trainer.engine.EngineSettings;
import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.TrainingListener;
import dev.tlab.trainer.engine.TrainingResult;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Channels-last against the contiguous layout on the demo's synthetic schedule (the section
 * {@code channels-last-accuracy}): the whole engine ({@link TrainingEngine#train}, its pipeline, its final evaluation)
 * trains each strategy per seed with {@code tlab.trainer.channels-last} true and false, and with {@code --bf16} (a CPU
 * with bf16 arithmetic, where it is the fastest setting) also in the experiment's {@code precision: bf16} with
 * channels-last; it prints one {@code @@BENCH} line per job with its test accuracy; {@link Report} compares each
 * setting's seed interval with fp32's.
 *
 * <p>The schedule is the one of the bf16 accuracy check in docs/benchmarks.md: synthetic data, 100 training and 100
 * test images per class, 32 px, 10 epochs, the notebook's batches and learning rates, the narrow demo model, seeds 0, 1
 * and 2. Arguments: {@code --model FILE --work DIR [--quick] [--bf16]} (quick: 20 images per class, 2 epochs).
 */
public final class ChannelsLastAccuracy {

    static final String KIND = "accuracy";

    /** A way of computing the same schedule: the layout and the experiment's precision. */
    enum Variant {
        FP32("fp32", ChannelsLast.OFF, Precision.FP32),
        CHANNELS_LAST("fp32 channels-last", ChannelsLast.ON, Precision.FP32),
        BF16_CHANNELS_LAST("bf16 channels-last", ChannelsLast.ON, Precision.BF16);

        final String label;
        final ChannelsLast layout;
        final Precision precision;

        Variant(String label, ChannelsLast layout, Precision precision) {
            this.label = label;
            this.layout = layout;
            this.precision = precision;
        }
    }

    static final List<Long> SEEDS = List.of(0L, 1L, 2L);
    static final int SIZE = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path model = null;
        Path work = null;
        boolean quick = false;
        boolean bf16 = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]).toAbsolutePath();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "--quick" -> quick = true;
                case "--bf16" -> bf16 = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (model == null || work == null) {
            throw new IllegalArgumentException("usage: --model FILE --work DIR [--quick]");
        }
        int perClass = quick ? 20 : 100;
        int epochs = quick ? 2 : 10;
        CifarRecords train = CifarRecords.fromBytes(SyntheticCifar.records(perClass * 10, 0));
        CifarRecords test = CifarRecords.fromBytes(SyntheticCifar.records(perClass * 10, 1));
        HyperParameters hp = HyperParameters.notebook().withImageSize(SIZE).withEpochs(epochs);
        for (long seed : SEEDS) {
            for (StrategySpec strategy : StrategySpec.notebookStrategies()) {
                for (Variant setting : bf16 ? Variant.values() : new Variant[] {Variant.FP32, Variant.CHANNELS_LAST}) {
                    Path checkpoints = Files.createTempDirectory(Files.createDirectories(work), "checkpoints-");
                    TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(checkpoints, model.getParent())
                            .withDevice("cpu")
                            .withDataThreads(2, new PrefetchBudget(64L << 20, 4))
                            .withModelAccess(ModelAccess.folders(model.getParent()))
                            .withChannelsLast(setting.layout));
                    List<EpochMetrics> epochsRun = new ArrayList<>();
                    TrainingListener listener = new TrainingListener() {
                        @Override
                        public void onEpoch(EpochMetrics m) {
                            epochsRun.add(m);
                        }
                    };
                    TrainingResult r = engine.train(
                            job(model, strategy, hp.withPrecision(setting.precision), seed),
                            train,
                            test,
                            listener,
                            () -> false);
                    ObjectNode n = JSON.createObjectNode();
                    n.put("section", KIND);
                    n.put("kind", KIND);
                    n.put("strategy", strategy.name());
                    n.put("setting", setting.label);
                    n.put("size", SIZE);
                    n.put("seed", seed);
                    n.put("epochs", epochs);
                    n.put("trainImages", train.size());
                    n.put("testImages", r.testSamples());
                    n.put("testAccuracy", r.testAccuracy());
                    n.put("finalLoss", epochsRun.get(epochsRun.size() - 1).loss());
                    n.put("wallSeconds", r.wallSeconds());
                    System.out.println(TrainerBench.PREFIX + n);
                    System.out.flush();
                    deleteTree(checkpoints);
                }
            }
        }
    }

    private static TrainingJob job(Path model, StrategySpec strategy, HyperParameters hp, long seed) {
        return new TrainingJob(
                UUID.randomUUID(),
                TrainingJob.TYPE,
                TrainingJob.SCHEMA_VERSION,
                Instant.now(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "channels-last-accuracy",
                "http://127.0.0.1:9/manifests/channels-last-accuracy",
                "synthetic",
                true,
                strategy,
                hp,
                ModelSpec.of(model.toUri().toString()),
                seed,
                1,
                null,
                null,
                null);
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
