package dev.tlab.trainer.engine;

import java.util.List;

/**
 * Training settings of a job; {@link #reference()} is the study of SPEC section 2. Image size S other
 * than 224 scales the test resize to round(S * 256 / 224).
 *
 * @param headPatterns parameters trained with {@code headLr} (default {@code fc.*}); other trainable
 *     ones use {@code backboneLr}
 */
public record Hyperparameters(int epochs, int trainBatchSize, int evalBatchSize, float backboneLr, float headLr,
                              float weightDecay, float beta1, float beta2, float epsilon, int imageSize,
                              List<String> headPatterns) {

    public Hyperparameters {
        positive("epochs", epochs);
        positive("trainBatchSize", trainBatchSize);
        positive("evalBatchSize", evalBatchSize);
        positive("imageSize", imageSize);
        headPatterns = List.copyOf(headPatterns);
    }

    public static Hyperparameters reference() {
        return new Hyperparameters(10, 64, 128, 1e-4f, 1e-3f, 1e-4f, 0.9f, 0.999f, 1e-8f, 224, List.of("fc.*"));
    }

    public Hyperparameters withEpochs(int value) {
        return new Hyperparameters(value, trainBatchSize, evalBatchSize, backboneLr, headLr, weightDecay, beta1,
                beta2, epsilon, imageSize, headPatterns);
    }

    public Hyperparameters withBatchSizes(int train, int eval) {
        return new Hyperparameters(epochs, train, eval, backboneLr, headLr, weightDecay, beta1, beta2, epsilon,
                imageSize, headPatterns);
    }

    public Hyperparameters withImageSize(int value) {
        return new Hyperparameters(epochs, trainBatchSize, evalBatchSize, backboneLr, headLr, weightDecay, beta1,
                beta2, epsilon, value, headPatterns);
    }

    public Hyperparameters withLearningRates(float backbone, float head) {
        return new Hyperparameters(epochs, trainBatchSize, evalBatchSize, backbone, head, weightDecay, beta1, beta2,
                epsilon, imageSize, headPatterns);
    }

    public Hyperparameters withWeightDecay(float value) {
        return new Hyperparameters(epochs, trainBatchSize, evalBatchSize, backboneLr, headLr, value, beta1, beta2,
                epsilon, imageSize, headPatterns);
    }

    public StrategyPlanner planner() {
        return new StrategyPlanner(headPatterns.stream().map(ParameterGlob::new).toList());
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
