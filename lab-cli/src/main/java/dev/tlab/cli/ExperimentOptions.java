package dev.tlab.cli;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.Requests;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The experiment a command asks for. Options left out take the request file's value, then the given defaults, then the
 * notebook's (docs/spec.md §2). Validation is the contracts' own, the same as the REST endpoint's.
 */
public class ExperimentOptions {
    @Option(
            names = "--request",
            paramLabel = "FILE",
            description =
                    "A JSON experiment request (POST /experiments body, read as strictly: unknown fields are refused); options override its fields.")
    Path requestFile;

    @Option(names = "--experiment-id", description = "Experiment id (UUID); generated when left out.")
    UUID experimentId;

    @Option(names = "--dataset", description = "cifar10 or synthetic.")
    String dataset;

    @Option(
            names = "--dataset-location",
            description = "Folder, archive or URL of the dataset, overriding the dataset service's setting.")
    String datasetLocation;

    @Option(names = "--subset-policy", description = "first-per-class (the notebook's) or stratified-random.")
    String subsetPolicy;

    @Option(names = "--samples-per-class", description = "Training images per class (notebook: 300).")
    Integer samplesPerClass;

    @Option(names = "--subset-seed", description = "Seed of stratified-random.")
    Long subsetSeed;

    @Option(
            names = "--strategies",
            split = ",",
            description =
                    "Strategies to compare: built-in names (freeze, partial, full) or NAME=GLOB[;GLOB...] for your own, e.g. top2=layer3.*;layer4.*;fc.*")
    List<String> strategies;

    @Option(names = "--epochs", description = "Epochs per strategy (notebook: 10).")
    Integer epochs;

    @Option(
            names = "--image-size",
            description = "Training crop size in pixels (notebook: 224; small values suit CPUs).")
    Integer imageSize;

    @Option(names = "--batch-size", description = "Training batch size (notebook: 64).")
    Integer batchSize;

    @Option(names = "--eval-batch-size", description = "Evaluation batch size (notebook: 128).")
    Integer evalBatchSize;

    @Option(
            names = "--precision",
            paramLabel = "fp32|bf16|fp16",
            converter = PrecisionConverter.class,
            description = "Number format of the training and evaluation forward: fp32 (the notebook's, default), bf16"
                    + " (mixed precision, CPU or GPU) or fp16 (GPU trainers only; a CPU trainer refuses it). The results"
                    + " say which it was.")
    Precision precision;

    @Option(
            names = "--select-epoch",
            paramLabel = "val-accuracy|val-loss|last",
            converter = SelectEpochConverter.class,
            description =
                    "Which epoch each job is tested on: last (the notebook's, default), or the one with the highest"
                            + " validation accuracy (val-accuracy) or the lowest validation loss (val-loss); an epoch counts as"
                            + " better only when strictly better, so a tie keeps the earlier one. Needs a validation split:"
                            + " --images only.")
    String selectEpoch;

    @Option(
            names = "--patience",
            paramLabel = "N",
            description = "With --select-epoch val-accuracy or val-loss: stop a job after N epochs in a row without"
                    + " an improvement (default: train every epoch).")
    Integer patience;

    /** The command this is part of, to report a misused option as a usage error (exit 2). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--model",
            description =
                    "TorchScript model URI (path, file:, http(s):, djl://); default: the trainer's configured model.")
    String model;

    @Option(names = "--model-sha256", description = "Checksum of the model file.")
    String modelSha256;

    @Option(
            names = "--weights",
            paramLabel = "FILE|URL",
            description =
                    "Pretrained weights (safetensors, torchvision names) put into the model by name, with a new seeded 10-class head; an http(s) URL needs --weights-sha256.")
    String weights;

    @Option(names = "--weights-sha256", description = "Checksum of the weights file.")
    String weightsSha256;

    @Option(names = "--seeds", split = ",", description = "Seeds; one job per strategy and seed (default 0).")
    List<Long> seeds;

    /** Builds the submission; {@code defaults} supplies what neither the options nor the request file give. */
    ExperimentSubmission toSubmission(ExperimentSubmission defaults) {
        ExperimentSubmission base = requestFile == null ? defaults : merge(readRequest(requestFile), defaults);
        DatasetSpec datasetSpec = base.dataset();
        if (dataset != null || datasetLocation != null) {
            datasetSpec = new DatasetSpec(
                    dataset != null ? dataset : datasetSpec == null ? null : datasetSpec.name(),
                    datasetLocation != null ? datasetLocation : datasetSpec == null ? null : datasetSpec.location());
        }
        SubsetPolicy subset = base.subset() == null ? SubsetPolicy.notebook() : base.subset();
        subset = new SubsetPolicy(
                or(subsetPolicy, subset.name()),
                or(samplesPerClass, subset.samplesPerClass()),
                or(subsetSeed, subset.seed()));
        HyperParameters hp = base.hyperParameters() == null ? HyperParameters.notebook() : base.hyperParameters();
        hp = hp.toBuilder()
                .epochs(or(epochs, hp.epochs()))
                .trainBatchSize(or(batchSize, hp.trainBatchSize()))
                .evalBatchSize(or(evalBatchSize, hp.evalBatchSize()))
                .imageSize(or(imageSize, hp.imageSize()))
                .precision(or(precision, hp.precision()))
                .selection(selection(hp.selection()))
                .build();
        ModelSpec from = base.model() == null ? ModelSpec.trainerDefault() : base.model();
        ModelSpec modelSpec = model == null && modelSha256 == null && weights == null && weightsSha256 == null
                ? base.model()
                : new ModelSpec(
                        model != null ? model : from.uri(),
                        model != null || modelSha256 != null ? modelSha256 : from.sha256(),
                        weights != null ? weights : from.weightsUri(),
                        weights != null || weightsSha256 != null ? weightsSha256 : from.weightsSha256());
        return new ExperimentSubmission(
                or(experimentId, base.experimentId()),
                datasetSpec,
                subset,
                strategies == null ? base.strategies() : parseStrategies(strategies),
                hp,
                modelSpec,
                seeds == null ? base.seeds() : seeds);
    }

    /**
     * {@code hyperParameters.selection} from {@code --select-epoch} and {@code --patience} over {@code base}, the
     * request file's or recorded request's selection: each option replaces its own part.
     */
    EpochSelection selection(EpochSelection base) {
        String metric = LAST.equals(selectEpoch)
                ? null
                : selectEpoch != null ? selectEpoch : base == null ? null : base.metric();
        if (metric == null) {
            if (patience != null) {
                // a patience alone would be dropped silently: say so instead
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--patience needs --select-epoch val-accuracy or val-loss (without it each job is tested after"
                                + " its last epoch, so there is nothing to stop early for)");
            }
            return null;
        }
        return new EpochSelection(metric, patience != null ? patience : base == null ? null : base.patience());
    }

    static List<StrategySpec> parseStrategies(List<String> values) {
        List<StrategySpec> parsed = new ArrayList<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            parsed.add(
                    eq < 0
                            ? StrategySpec.named(value.trim())
                            : new StrategySpec(
                                    value.substring(0, eq).trim(),
                                    Arrays.stream(value.substring(eq + 1).split(";"))
                                            .map(String::trim)
                                            .filter(s -> !s.isEmpty())
                                            .toList()));
        }
        return parsed;
    }

    private static ExperimentSubmission readRequest(Path file) {
        try {
            return Requests.submission(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ExperimentSubmission merge(ExperimentSubmission fromFile, ExperimentSubmission defaults) {
        return new ExperimentSubmission(
                or(fromFile.experimentId(), defaults.experimentId()),
                or(fromFile.dataset(), defaults.dataset()),
                or(fromFile.subset(), defaults.subset()),
                or(fromFile.strategies(), defaults.strategies()),
                or(fromFile.hyperParameters(), defaults.hyperParameters()),
                or(fromFile.model(), defaults.model()),
                or(fromFile.seeds(), defaults.seeds()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** {@code --select-epoch last}: no selection, the notebook's test after the last epoch. */
    static final String LAST = "last";

    /** The option's spelling to the request's metric names ({@code valAccuracy}, {@code valLoss}) or {@link #LAST}. */
    static final class SelectEpochConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return switch (value) {
                case "val-accuracy" -> EpochSelection.VAL_ACCURACY;
                case "val-loss" -> EpochSelection.VAL_LOSS;
                case LAST -> LAST;
                default ->
                    throw new CommandLine.TypeConversionException(
                            "must be val-accuracy, val-loss or last, was '" + value + "'");
            };
        }
    }

    /** Reads the precision by its wire name, as a request body does; an unknown one is a usage error of the option. */
    static final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.of(value);
            } catch (InvalidFieldException e) {
                throw new CommandLine.TypeConversionException(e.reason());
            }
        }
    }
}
