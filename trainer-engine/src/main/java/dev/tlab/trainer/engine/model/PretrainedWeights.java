package dev.tlab.trainer.engine.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Puts ImageNet weights from a safetensors file into a TorchScript ResNet-18 by parameter name, and gives it a new,
 * seeded classifier ({@code fc}), as the notebook does with {@code model.fc = nn.Linear(512, 10)}. Every name, shape
 * and dtype is checked before the first value is copied, so a wrong file changes nothing and says what was expected.
 *
 * <p>BatchNorm running statistics are buffers, which DJL does not expose: they keep the architecture file's values.
 * Training (always in train mode, as the notebook) replaces them with momentum 0.1, so after n steps the starting
 * values weigh 0.9^n: below 1e-21 after the notebook's 470 steps per strategy, and no factor in the result.
 */
public final class PretrainedWeights {

    public static final String HOW_TO = "Pretrained weights are a safetensors file with torchvision's ResNet-18"
            + " parameter names and float32 values, e.g. model.safetensors of huggingface.co/timm/resnet18.tv_in1k"
            + " (see the README, 'Running the real study'); give its path, or an https URL with its sha256 (downloads"
            + " are cached in the folder of tlab.trainer.model-cache; pre-fill it to run offline)";
    /** The classifier the notebook replaces; the file's 1000-class {@code fc} is not used. */
    static final String HEAD_PREFIX = "fc.";
    /** Buffers in torchvision's state dict that are not parameters. */
    private static final List<String> BUFFER_SUFFIXES =
            List.of(".running_mean", ".running_var", ".num_batches_tracked");

    private static final int NAMES_SHOWN = 5;

    private PretrainedWeights() {}

    /** What was loaded: the backbone parameters copied from the file and the head initialised here. */
    public record Loaded(int copiedTensors, long copiedValues, List<String> headParameters) {}

    public static Loaded apply(LoadedModel model, SafetensorsFile weights, long headSeed) {
        Map<String, Parameter> params = model.parameters();
        List<String> backbone =
                params.keySet().stream().filter(n -> !n.startsWith(HEAD_PREFIX)).toList();
        List<String> head =
                params.keySet().stream().filter(n -> n.startsWith(HEAD_PREFIX)).toList();
        if (!params.containsKey(HEAD_PREFIX + "weight") || !params.containsKey(HEAD_PREFIX + "bias")) {
            throw fail(
                    weights,
                    "the model has no fc.weight/fc.bias classifier to replace (parameters: "
                            + shortList(List.copyOf(params.keySet())) + ")");
        }
        checkNames(weights, backbone, params);
        checkShapes(weights, backbone, params);
        long values = 0;
        for (String name : backbone) {
            float[] v = weights.floats(name);
            params.get(name).getArray().set(FloatBuffer.wrap(v));
            values += v.length;
        }
        newHead(params.get(HEAD_PREFIX + "weight"), params.get(HEAD_PREFIX + "bias"), headSeed);
        return new Loaded(backbone.size(), values, head);
    }

    private static void checkNames(SafetensorsFile weights, List<String> backbone, Map<String, Parameter> params) {
        List<String> missing =
                backbone.stream().filter(n -> !weights.entries().containsKey(n)).toList();
        List<String> unexpected = weights.names().stream()
                .filter(n -> !params.containsKey(n)
                        && !n.startsWith(HEAD_PREFIX)
                        && BUFFER_SUFFIXES.stream().noneMatch(n::endsWith))
                .toList();
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw fail(
                    weights,
                    "its tensor names do not match the model's: "
                            + (missing.isEmpty()
                                    ? ""
                                    : missing.size() + " of the " + backbone.size() + " expected parameters are"
                                            + " missing (" + shortList(missing) + ")")
                            + (!missing.isEmpty() && !unexpected.isEmpty() ? "; " : "")
                            + (unexpected.isEmpty()
                                    ? ""
                                    : unexpected.size() + " names are not the model's (" + shortList(unexpected) + ")")
                            + "; expected torchvision names such as " + shortList(backbone));
        }
    }

    private static void checkShapes(SafetensorsFile weights, List<String> backbone, Map<String, Parameter> params) {
        List<String> wrong = new ArrayList<>();
        for (String name : backbone) {
            SafetensorsFile.Entry e = weights.entries().get(name);
            Shape expected = params.get(name).getArray().getShape();
            if (!"F32".equals(e.dtype()) || !Arrays.equals(expected.getShape(), e.shape())) {
                wrong.add(name + " expected F32 " + Arrays.toString(expected.getShape()) + ", file has " + e.dtype()
                        + " " + e.shapeText());
            }
        }
        if (!wrong.isEmpty()) {
            throw fail(weights, wrong.size() + " tensors have the wrong shape or dtype: " + shortList(wrong));
        }
    }

    /** nn.Linear's default initialisation: weight and bias uniform in +-1/sqrt(inputs), from the job's seed. */
    static void newHead(Parameter weight, Parameter bias, long seed) {
        long[] shape = weight.getArray().getShape().getShape();
        double bound = 1.0 / Math.sqrt(shape[1]);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextDouble(-bound, bound);
        }
        float[] b = new float[(int) bias.getArray().size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextDouble(-bound, bound);
        }
        weight.getArray().set(FloatBuffer.wrap(w));
        bias.getArray().set(FloatBuffer.wrap(b));
    }

    private static String shortList(List<String> names) {
        return names.size() <= NAMES_SHOWN
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ... " + (names.size() - NAMES_SHOWN) + " more";
    }

    private static ModelUnavailableException fail(SafetensorsFile weights, String problem) {
        return new ModelUnavailableException(
                "model.weightsUri",
                "Weights file " + weights.file() + " does not fit the model: " + problem + ". " + HOW_TO,
                true);
    }
}
