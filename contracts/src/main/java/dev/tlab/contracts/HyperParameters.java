package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Training settings; every field left out takes the notebook's value (docs/spec.md §2). The optimizer is AdamW with two
 * parameter groups: trainable parameters matching {@code headPatterns} use {@code headLearningRate}, the other
 * trainable ones {@code backboneLearningRate}. {@code precision} is the number format of the forward pass
 * ({@link Precision}; float32 unless asked). {@code selection} ({@link EpochSelection}) is opt-in: without it the job
 * is tested after its last epoch, as the notebook does; it is written only when set, so that a request without it keeps
 * its JSON.
 */
public record HyperParameters(
        Integer epochs,
        Integer trainBatchSize,
        Integer evalBatchSize,
        Double backboneLearningRate,
        Double headLearningRate,
        Double weightDecay,
        Double beta1,
        Double beta2,
        Double epsilon,
        Integer imageSize,
        List<String> headPatterns,
        Precision precision,
        @JsonInclude(JsonInclude.Include.NON_NULL) EpochSelection selection) {

    public HyperParameters {
        epochs = Fields.intInRange(Fields.orDefault(epochs, 10), 1, 1000, "hyperParameters.epochs");
        trainBatchSize =
                Fields.intInRange(Fields.orDefault(trainBatchSize, 64), 1, 4096, "hyperParameters.trainBatchSize");
        evalBatchSize =
                Fields.intInRange(Fields.orDefault(evalBatchSize, 128), 1, 4096, "hyperParameters.evalBatchSize");
        backboneLearningRate = Fields.positive(
                Fields.orDefault(backboneLearningRate, 1e-4), 1.0, "hyperParameters.backboneLearningRate");
        headLearningRate =
                Fields.positive(Fields.orDefault(headLearningRate, 1e-3), 1.0, "hyperParameters.headLearningRate");
        weightDecay = Fields.orDefault(weightDecay, 1e-4);
        if (!(weightDecay >= 0) || weightDecay > 1) {
            throw new InvalidFieldException("hyperParameters.weightDecay", "must be in [0, 1], was " + weightDecay);
        }
        beta1 = Fields.inHalfOpenUnit(Fields.orDefault(beta1, 0.9), "hyperParameters.beta1");
        beta2 = Fields.inHalfOpenUnit(Fields.orDefault(beta2, 0.999), "hyperParameters.beta2");
        epsilon = Fields.positive(Fields.orDefault(epsilon, 1e-8), 1.0, "hyperParameters.epsilon");
        imageSize = Fields.intInRange(Fields.orDefault(imageSize, 224), 8, 1024, "hyperParameters.imageSize");
        headPatterns = Fields.patterns(headPatterns, List.of("fc.*"), "hyperParameters.headPatterns");
        precision = Fields.orDefault(precision, Precision.DEFAULT);
    }

    /** The notebook's settings. */
    public static HyperParameters notebook() {
        return builder().build();
    }

    /** A builder with every field left out (the notebook's values), so that a caller names only what it changes. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return builder()
                .epochs(epochs)
                .trainBatchSize(trainBatchSize)
                .evalBatchSize(evalBatchSize)
                .backboneLearningRate(backboneLearningRate)
                .headLearningRate(headLearningRate)
                .weightDecay(weightDecay)
                .beta1(beta1)
                .beta2(beta2)
                .epsilon(epsilon)
                .imageSize(imageSize)
                .headPatterns(headPatterns)
                .precision(precision)
                .selection(selection);
    }

    public HyperParameters withEpochs(int newEpochs) {
        return toBuilder().epochs(newEpochs).build();
    }

    public HyperParameters withImageSize(int newImageSize) {
        return toBuilder().imageSize(newImageSize).build();
    }

    public HyperParameters withPrecision(Precision newPrecision) {
        return toBuilder().precision(newPrecision).build();
    }

    public HyperParameters withSelection(EpochSelection newSelection) {
        return toBuilder().selection(newSelection).build();
    }

    /** Names each setting instead of a twelve-argument positional call; a field never set takes its default. */
    public static final class Builder {
        private Integer epochs;
        private Integer trainBatchSize;
        private Integer evalBatchSize;
        private Double backboneLearningRate;
        private Double headLearningRate;
        private Double weightDecay;
        private Double beta1;
        private Double beta2;
        private Double epsilon;
        private Integer imageSize;
        private List<String> headPatterns;
        private Precision precision;
        private EpochSelection selection;

        private Builder() {}

        public Builder epochs(Integer value) {
            this.epochs = value;
            return this;
        }

        public Builder trainBatchSize(Integer value) {
            this.trainBatchSize = value;
            return this;
        }

        public Builder evalBatchSize(Integer value) {
            this.evalBatchSize = value;
            return this;
        }

        public Builder backboneLearningRate(Double value) {
            this.backboneLearningRate = value;
            return this;
        }

        public Builder headLearningRate(Double value) {
            this.headLearningRate = value;
            return this;
        }

        public Builder weightDecay(Double value) {
            this.weightDecay = value;
            return this;
        }

        public Builder beta1(Double value) {
            this.beta1 = value;
            return this;
        }

        public Builder beta2(Double value) {
            this.beta2 = value;
            return this;
        }

        public Builder epsilon(Double value) {
            this.epsilon = value;
            return this;
        }

        public Builder imageSize(Integer value) {
            this.imageSize = value;
            return this;
        }

        public Builder headPatterns(List<String> value) {
            this.headPatterns = value;
            return this;
        }

        public Builder precision(Precision value) {
            this.precision = value;
            return this;
        }

        public Builder selection(EpochSelection value) {
            this.selection = value;
            return this;
        }

        public HyperParameters build() {
            return new HyperParameters(
                    epochs,
                    trainBatchSize,
                    evalBatchSize,
                    backboneLearningRate,
                    headLearningRate,
                    weightDecay,
                    beta1,
                    beta2,
                    epsilon,
                    imageSize,
                    headPatterns,
                    precision,
                    selection);
        }
    }

    /** Test-time resize of the shorter side before the centre crop: 256 at 224, scaled the same way elsewhere. */
    public int evalResize() {
        return (int) Math.round(imageSize * 256.0 / 224.0);
    }
}
