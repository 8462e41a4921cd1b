package dev.tlab.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One fixed, fully populated instance of every message: the golden files are these, written as JSON. */
final class Samples {
    static final Instant AT = Instant.parse("2026-11-28T00:00:00Z");
    static final UUID EXPERIMENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID JOB = TrainingJob.jobIdFor(EXPERIMENT, "partial", 0);
    static final JobRef JOB_REF = new JobRef(JOB, EXPERIMENT, "partial", 0L, 1);

    private Samples() {}

    static UUID id(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    static final RunEnvironment ENVIRONMENT = new RunEnvironment(
            "PyTorch", "0.36.0", "2.7.1", "cu128", "0.1.0-SNAPSHOT", "trainer-7d9f", RunEnvironment.CHANNELS_LAST);

    static ExperimentRequested experimentRequested() {
        return new ExperimentRequested(
                id(100),
                ExperimentRequested.TYPE,
                1,
                AT,
                EXPERIMENT,
                DatasetSpec.of("synthetic"),
                SubsetPolicy.notebook(),
                List.of(
                        StrategySpec.named("freeze"),
                        StrategySpec.named("partial"),
                        new StrategySpec("last-two", List.of("layer3.*", "layer4.*", "fc.*"))),
                HyperParameters.notebook().withImageSize(32),
                new ModelSpec(
                        "builtin:resnet18",
                        null,
                        "https://huggingface.co/timm/resnet18.tv_in1k/resolve/main/model.safetensors",
                        "ab".repeat(32)),
                List.of(0L, 1L));
    }

    static DatasetManifest datasetManifest() {
        return new DatasetManifest(
                id(101),
                DatasetManifest.TYPE,
                1,
                AT,
                "m-0123456789abcdef",
                "synthetic",
                true,
                "a".repeat(64),
                List.of("airplane", "automobile"),
                List.of(2, 2),
                SubsetPolicy.notebook(),
                List.of(0, 1, 3, 4),
                "b".repeat(64),
                10,
                "c".repeat(64),
                "http://localhost:8081/manifests/m-0123456789abcdef/train",
                "http://localhost:8081/manifests/m-0123456789abcdef/test");
    }

    /** A request for the user's own images: an uploaded archive, its own split fractions, rejects refused. */
    static ExperimentRequested experimentRequestedImages() {
        return new ExperimentRequested(
                id(110),
                ExperimentRequested.TYPE,
                1,
                AT,
                EXPERIMENT,
                new DatasetSpec(
                        DatasetSpec.IMAGES,
                        null,
                        DatasetSource.upload("ef".repeat(32)),
                        new DatasetSplit(0.15, 0.25, 7L),
                        DatasetSpec.FAIL),
                null,
                List.of(StrategySpec.named("freeze"), StrategySpec.named("full")),
                HyperParameters.notebook().withImageSize(64),
                ModelSpec.trainerDefault(),
                List.of(0L));
    }

    /** A manifest of three classes of the user's own images, one reject, one leak. */
    static DatasetManifest datasetManifestImages() {
        String base = "http://localhost:8081/manifests/m-00112233445566778899aabbccddeeff";
        return new DatasetManifest(
                id(111),
                DatasetManifest.TYPE,
                DatasetManifest.IMAGES_SCHEMA_VERSION,
                AT,
                "m-00112233445566778899aabbccddeeff",
                DatasetSpec.IMAGES,
                false,
                "d".repeat(64),
                List.of("cat", "dog", "zebra"),
                List.of(7, 8, 6),
                SubsetPolicy.all(),
                List.of(),
                "e".repeat(64),
                6,
                "f".repeat(64),
                null,
                null,
                new ImageManifest(
                        new ImageManifest.Source("zip", "upload:" + "ef".repeat(32), "ef".repeat(32)),
                        "class-folders",
                        "pets",
                        new DatasetSplit(0.1, 0.2, 0L),
                        List.of(
                                new ImageManifest.SplitSummary("train", "seeded", 21, List.of(7, 8, 6), "e".repeat(64)),
                                new ImageManifest.SplitSummary("val", "seeded", 3, List.of(1, 1, 1), "1".repeat(64)),
                                new ImageManifest.SplitSummary("test", "seeded", 6, List.of(2, 2, 2), "f".repeat(64))),
                        new ImageManifest.Subset("all", null, 0L, 21, List.of(7, 8, 6), "e".repeat(64)),
                        "skip",
                        1,
                        List.of(new ImageManifest.RejectedFile(
                                "pets/dog/broken.jpg", "truncated", "Premature end of JPEG file")),
                        List.of(new ImageManifest.IgnoredFiles("hidden", 1, List.of("pets/.DS_Store"))),
                        1,
                        List.of(new ImageManifest.Leak(
                                "2".repeat(64), "train", "pets/cat/a.jpg", "test", "pets/cat/a-copy.jpg")),
                        new ImageManifest.Notes(2, 0),
                        new ImageManifest.Totals(30, 1_234_567L, 5_625_000L),
                        "3".repeat(64),
                        new ImageManifest.Index(base + "/index", "4".repeat(64), 4321L),
                        base + "/images"));
    }

    /** The index of a small three-class manifest. */
    static ImageIndex imageIndex() {
        ImageIndex.Image cat = new ImageIndex.Image("pets/cat/a.jpg", 0, "2".repeat(64), 70_001L, 500, 375);
        ImageIndex.Image dog = new ImageIndex.Image("pets/dog/b.png", 1, "5".repeat(64), 12_345L, 64, 48);
        ImageIndex.Image zebra = new ImageIndex.Image("pets/zebra/c.webp", 2, "6".repeat(64), 9_876L, 300, 200);
        ImageIndex.Image catCopy = new ImageIndex.Image("pets/cat/a-copy.jpg", 0, "2".repeat(64), 70_001L, 500, 375);
        return new ImageIndex(
                List.of("cat", "dog", "zebra"),
                List.of(cat, dog, zebra),
                List.of(),
                List.of(catCopy),
                List.of(cat, dog, zebra),
                List.of(new ImageManifest.RejectedFile(
                        "pets/dog/broken.jpg", "truncated", "Premature end of JPEG file")),
                List.of(new ImageManifest.Leak(
                        "2".repeat(64), "train", "pets/cat/a.jpg", "test", "pets/cat/a-copy.jpg")),
                List.of(new ImageManifest.IgnoredFiles("hidden", 1, List.of("pets/.DS_Store"))));
    }

    static TrainingJob trainingJob() {
        return new TrainingJob(
                id(102),
                TrainingJob.TYPE,
                1,
                AT,
                JOB,
                EXPERIMENT,
                "m-0123456789abcdef",
                "http://localhost:8081/manifests/m-0123456789abcdef",
                "synthetic",
                true,
                StrategySpec.named("partial"),
                HyperParameters.notebook(),
                ModelSpec.trainerDefault(),
                0L,
                2,
                AT.minusSeconds(60),
                AT.plusSeconds(10),
                List.of(new FailedAttempt(1, "the dataset service answered 503 for the manifest", AT)));
    }

    /** A job of the user's images tested on its best validation epoch, stopping after 3 epochs without improvement. */
    static TrainingJob trainingJobSelection() {
        return new TrainingJob(
                id(120),
                TrainingJob.TYPE,
                1,
                AT,
                JOB,
                EXPERIMENT,
                "m-00112233445566778899aabbccddeeff",
                "http://localhost:8081/manifests/m-00112233445566778899aabbccddeeff",
                DatasetSpec.IMAGES,
                false,
                StrategySpec.named("full"),
                HyperParameters.notebook()
                        .withImageSize(64)
                        .withSelection(new EpochSelection(EpochSelection.VAL_LOSS, 3)),
                ModelSpec.trainerDefault(),
                0L,
                1,
                AT.minusSeconds(60),
                null,
                null);
    }

    /** An epoch evaluated on the validation split. */
    static EpochCompleted epochCompletedValidation() {
        return new EpochCompleted(
                id(121),
                EpochCompleted.TYPE,
                1,
                AT,
                JOB_REF,
                "cpu()",
                4,
                10,
                0.5,
                0.875,
                12.5,
                240.0,
                0.25,
                0.625,
                0.75);
    }

    /** A job that stopped early and was tested on its best validation epoch. */
    static JobCompleted jobCompletedSelection() {
        JobCompleted base = jobCompleted();
        return new JobCompleted(
                id(122),
                JobCompleted.TYPE,
                1,
                AT,
                JOB_REF,
                base.device(),
                base.testAccuracy(),
                base.trainableParameters(),
                base.totalParameters(),
                base.wallSeconds(),
                7,
                base.startedAt(),
                base.environment(),
                base.model(),
                base.evaluation(),
                new JobCost(210.0, 21_000L, 21.5, 10_000L, 2_147_483_648L, JobCost.DEVICE, 14.0, 7_000L),
                new SelectedEpoch(
                        4,
                        7,
                        EpochSelection.VAL_LOSS,
                        0.625,
                        true,
                        "lowest validation loss (0.6250); stopped after 3 epochs without improvement"
                                + " (patience 3)"));
    }

    static JobStarted jobStarted() {
        return new JobStarted(
                id(103),
                JobStarted.TYPE,
                1,
                AT,
                JOB_REF,
                "cpu()",
                1,
                10,
                8_398_858L,
                11_181_642L,
                "synthetic",
                true,
                ENVIRONMENT,
                Precision.BF16);
    }

    static EpochCompleted epochCompleted() {
        return new EpochCompleted(
                id(104),
                EpochCompleted.TYPE,
                1,
                AT,
                JOB_REF,
                "cpu()",
                3,
                10,
                0.75,
                0.8125,
                12.5,
                240.0,
                0.25,
                null,
                null);
    }

    static JobCompleted jobCompleted() {
        return new JobCompleted(
                id(105),
                JobCompleted.TYPE,
                1,
                AT,
                JOB_REF,
                "gpu(0)",
                0.8431,
                8_398_858L,
                11_181_642L,
                321.5,
                10,
                AT.minusSeconds(322),
                ENVIRONMENT,
                new ModelArtifact(EXPERIMENT + "/" + JOB + ".pt", "cd".repeat(32), 44_800_123L),
                evaluation(),
                new JobCost(300.0, 30_000L, 21.5, 10_000L, 2_147_483_648L, JobCost.DEVICE),
                null);
    }

    static final List<String> CIFAR_CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /**
     * 10,000 test images, 1,000 per class, 8,431 right (the sample's test accuracy): each class's errors go to its two
     * neighbours in the class map.
     */
    static Evaluation evaluation() {
        long[] right = {912, 951, 781, 702, 834, 756, 889, 873, 921, 812};
        List<List<Long>> matrix = new java.util.ArrayList<>();
        for (int t = 0; t < 10; t++) {
            Long[] row = new Long[10];
            java.util.Arrays.fill(row, 0L);
            long wrong = 1000 - right[t];
            row[t] = right[t];
            row[(t + 1) % 10] = (wrong + 1) / 2;
            row[(t + 9) % 10] = wrong / 2;
            matrix.add(List.of(row));
        }
        CalibrationSums calibration = new CalibrationSums(
                List.of(0L, 0L, 0L, 0L, 0L, 100L, 150L, 200L, 250L, 300L, 400L, 500L, 700L, 1200L, 6000L, 200L),
                List.of(
                        0.0, 0.0, 0.0, 0.0, 0.0, 37.0, 65.0, 100.0, 137.5, 190.0, 280.0, 383.0, 581.0, 1080.0, 5880.0,
                        200.0),
                List.of(0L, 0L, 0L, 0L, 0L, 40L, 70L, 100L, 140L, 190L, 280L, 380L, 570L, 1050L, 5411L, 200L));
        return new Evaluation(
                CIFAR_CLASSES,
                10_000L,
                matrix,
                calibration,
                new PredictionsArtifact(EXPERIMENT + "/" + JOB + ".predictions", "ef".repeat(32), 10_082L, 10_000L));
    }

    static JobFailed jobFailed() {
        return new JobFailed(
                id(106),
                JobFailed.TYPE,
                1,
                AT,
                JOB_REF,
                "cpu()",
                "connection refused: dataset service",
                2,
                AT.plusSeconds(10),
                List.of(new FailedAttempt(1, "connection refused: dataset service", AT)));
    }

    static JobCancelled jobCancelled() {
        return new JobCancelled(id(107), JobCancelled.TYPE, 1, AT, JOB_REF, "cpu()", 3, "stopped by the user");
    }

    static ExperimentCancelled experimentCancelled() {
        return new ExperimentCancelled(id(108), ExperimentCancelled.TYPE, 1, AT, EXPERIMENT, "stopped by the user");
    }

    static ExperimentFailed experimentFailed() {
        return new ExperimentFailed(
                id(109),
                ExperimentFailed.TYPE,
                1,
                AT.plusSeconds(5),
                EXPERIMENT,
                AT,
                "dataset",
                "the dataset in /data/synthetic has changed since it was verified; restore its files");
    }

    static List<Object> all() {
        return List.of(
                experimentRequested(),
                datasetManifest(),
                trainingJob(),
                jobStarted(),
                epochCompleted(),
                jobCompleted(),
                jobFailed(),
                jobCancelled(),
                experimentCancelled(),
                experimentFailed(),
                experimentRequestedImages(),
                datasetManifestImages(),
                imageIndex(),
                trainingJobSelection(),
                epochCompletedValidation(),
                jobCompletedSelection());
    }

    /** The golden file of each sample: its class's name, and a suffix for a second sample of a class. */
    static String goldenName(Object sample) {
        String suffix = "";
        if (sample.equals(experimentRequestedImages()) || sample.equals(datasetManifestImages())) {
            suffix = "-images";
        } else if (sample.equals(trainingJobSelection()) || sample.equals(jobCompletedSelection())) {
            suffix = "-selection";
        } else if (sample.equals(epochCompletedValidation())) {
            suffix = "-validation";
        }
        return sample.getClass().getSimpleName() + suffix + ".json";
    }
}
