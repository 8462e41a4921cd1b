package dev.tlab.trainer.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.trainer.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretrained weights by name into the narrow ResNet-18 (same names as torchvision's): a good file, and each way a file
 * can be wrong. The files are built here, in torchvision's layout: parameters, BatchNorm buffers, a 1000-class fc.
 */
class PretrainedWeightsTest {

    @TempDir
    static Path dir;
    /** name -> shape of the narrow model's parameters. */
    private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    private static ModelLoader loader;

    @BeforeAll
    static void shapes() {
        loader = new ModelLoader(new ModelFileResolver(
                dir.resolve("cache"),
                true,
                ModelAccess.folders(dir, TestData.narrowModel().getParent())));
        try (LoadedModel m = loader.load(ModelSource.of(TestData.narrowModel().toString()), Device.cpu())) {
            m.parameters()
                    .forEach((n, p) -> SHAPES.put(n, p.getArray().getShape().getShape()));
        }
    }

    /** Seeded values per tensor, like an ImageNet file: fc with 1000 classes, plus buffers that are not parameters. */
    private static Map<String, SafetensorsWriter.Tensor> imagenetLike() {
        Map<String, SafetensorsWriter.Tensor> out = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(42);
        SHAPES.forEach((name, shape) -> {
            long[] s = name.equals("fc.weight")
                    ? new long[] {1000, shape[1]}
                    : name.equals("fc.bias") ? new long[] {1000} : shape;
            out.put(name, SafetensorsWriter.Tensor.f32(s, values(s, rng)));
            if (name.endsWith("bn1.weight") || name.endsWith("bn2.weight")) {
                String module = name.substring(0, name.length() - ".weight".length());
                out.put(module + ".running_mean", SafetensorsWriter.Tensor.f32(shape, values(shape, rng)));
            }
        });
        return out;
    }

    private static float[] values(long[] shape, SplittableRandom rng) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }

    private static Path file(String name, Map<String, SafetensorsWriter.Tensor> tensors) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        tensors.forEach(w::put);
        return w.write(dir.resolve(name));
    }

    private static ModelSource withWeights(Path weights, String sha256) {
        return new ModelSource(TestData.narrowModel().toString(), null, new ModelSource(weights.toString(), sha256));
    }

    @Test
    void goodFileFillsEveryBackboneParameterByNameAndSeedsANewHead() throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors = imagenetLike();
        Path weights = file("good.safetensors", tensors);
        SafetensorsFile st = SafetensorsFile.open(weights);
        String sha = ModelFileResolver.fileSha256(weights);
        float[] head7;
        try (LoadedModel m = loader.load(withWeights(weights, sha), Device.cpu(), 7)) {
            m.parameters().forEach((name, p) -> {
                if (!name.startsWith("fc.")) {
                    assertArrayEquals(st.floats(name), p.getArray().toFloatArray(), name);
                }
            });
            head7 = m.parameters().get("fc.weight").getArray().toFloatArray();
            long[] shape = SHAPES.get("fc.weight");
            assertEquals(shape[0] * shape[1], head7.length, "the head keeps the model's 10 classes");
            double bound = 1 / Math.sqrt(shape[1]);
            for (float v : head7) {
                assertTrue(Math.abs(v) <= bound, "nn.Linear's init bound 1/sqrt(in) = " + bound + ", got " + v);
            }
        }
        try (LoadedModel again = loader.load(withWeights(weights, sha), Device.cpu(), 7);
                LoadedModel other = loader.load(withWeights(weights, sha), Device.cpu(), 8)) {
            assertArrayEquals(
                    head7, again.parameters().get("fc.weight").getArray().toFloatArray(), "same seed, same head");
            assertFalse(
                    java.util.Arrays.equals(
                            head7,
                            other.parameters().get("fc.weight").getArray().toFloatArray()),
                    "another seed, another head");
        }
    }

    @Test
    void wrongNamesAreRefusedNamingWhatWasExpected() throws Exception {
        Map<String, SafetensorsWriter.Tensor> renamed = new LinkedHashMap<>();
        imagenetLike().forEach((n, t) -> renamed.put(n.startsWith("layer4.") ? "model." + n : n, t));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(file("names.safetensors", renamed), null), Device.cpu(), 0)
                        .close());
        assertEquals("model.weightsUri", e.field());
        assertTrue(e.getMessage().contains("missing (layer4.0.conv1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("not the model's (model.layer4.0.conv1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("timm/resnet18.tv_in1k"), e.getMessage());
    }

    @Test
    void wrongShapesAreRefusedWithTheExpectedShape() throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors = imagenetLike();
        long[] s = SHAPES.get("layer1.0.conv1.weight");
        long[] swapped = {s[1], s[0] * 2, s[2], s[3] / 3};
        tensors.put(
                "layer1.0.conv1.weight",
                SafetensorsWriter.Tensor.f32(swapped, values(swapped, new SplittableRandom(1))));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(file("shapes.safetensors", tensors), null), Device.cpu(), 0)
                        .close());
        assertTrue(
                e.getMessage().contains("layer1.0.conv1.weight expected F32 " + java.util.Arrays.toString(s)),
                e.getMessage());
    }

    @Test
    void wrongDtypeIsRefused() throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors = imagenetLike();
        long[] s = SHAPES.get("bn1.bias");
        tensors.put("bn1.bias", new SafetensorsWriter.Tensor("F16", s, new byte[(int) s[0] * 2]));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(file("dtype.safetensors", tensors), null), Device.cpu(), 0)
                        .close());
        assertTrue(e.getMessage().contains("bn1.bias expected F32"), e.getMessage());
        assertTrue(e.getMessage().contains("file has F16"), e.getMessage());
    }

    @Test
    void wrongDigestIsRefusedBeforeReading() throws Exception {
        Path weights = file("digest.safetensors", imagenetLike());
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(weights, "ab".repeat(32)), Device.cpu(), 0)
                        .close());
        assertEquals("model.weightsSha256", e.field());
        assertTrue(e.getMessage().contains("Pretrained weights"), e.getMessage());
        assertTrue(e.getMessage().contains("does not have the sha256 " + "ab".repeat(32)), e.getMessage());
    }

    @Test
    void truncatedAndMissingFilesAreRefused() throws Exception {
        Path good = file("whole.safetensors", imagenetLike());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(cut, null), Device.cpu(), 0).close());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "not a weights file at all");
        e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(garbage, null), Device.cpu(), 0).close());
        assertTrue(e.getMessage().contains("not a valid safetensors file"), e.getMessage());

        e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(withWeights(dir.resolve("absent.safetensors"), null), Device.cpu(), 0)
                        .close());
        assertTrue(e.getMessage().contains("absent.safetensors does not exist"), e.getMessage());
        assertEquals("model.weightsUri", e.field());
    }

    @Test
    void builtInArchitectureIsTheFullResNet18() {
        try (LoadedModel m = loader.load(ModelSource.of(ModelSource.BUILT_IN_RESNET18), Device.cpu())) {
            assertEquals(
                    11_181_642L,
                    m.parameterSizes().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            assertEquals(10L, m.parameterSizes().get("fc.bias"));
        }
    }
}
