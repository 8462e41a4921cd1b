package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.images.ImageDecoder;
import dev.tlab.images.RgbImage;
import dev.tlab.images.SyntheticImages;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.data.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The image-folder input pipeline per data thread: a folder of photo-like 500x375 JPEGs (made here, 10 classes), each
 * image read from disk, decoded to RGB ({@link ImageDecoder}, exactly PIL's pixels) and given the notebook's train or
 * test transform at 224 px ({@link ImageTransforms}), on 1 and 2 threads. The PyTorch peer
 * ({@code python/imagefolder_bench.py}) runs torchvision's {@code ImageFolder} + PIL + the same transforms in a
 * {@code DataLoader} with as many workers, on the same folder, in the same run. Parts are also timed alone (decode
 * only; transform only, i.e. what a cache of decoded images would leave) to show which one bounds the rate.
 *
 * <p>Prints one {@code @@BENCH} JSON line per measurement: {@code kind} ({@code image-decode}, {@code image-train},
 * {@code image-test}, {@code image-train-cached}), {@code threads}, {@code imagesPerSecond} (all threads together) and
 * {@code perThread}. Usage: {@code ImageFolderBench --folder DIR --images N [--quick]}.
 */
public final class ImageFolderBench {

    static final int WIDTH = 500;
    static final int HEIGHT = 375;
    static final int CLASSES = 10;
    static final int SIZE = 224;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path folder = null;
        int images = 400;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--folder" -> folder = Path.of(args[++i]);
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (folder == null) {
            throw new IllegalArgumentException("--folder DIR is required");
        }
        List<Path> files = makeFolder(folder, images);
        int rounds = quick ? 1 : 2;
        for (int threads : new int[] {1, 2}) {
            // Warm-up: the JIT compiles the decoder's Java side and the resampler before anything is timed.
            run(files, threads, Work.TRAIN, Math.min(files.size(), 60), null);
            measure("image-decode", files, threads, Work.DECODE, rounds);
            measure("image-train", files, threads, Work.TRAIN, rounds);
            measure("image-test", files, threads, Work.TEST, rounds);
        }
        // The transform alone on images decoded once: the rate with a cache of decoded images (500x375 RGB is 563 KB
        // an image, so 1,000 images need about 550 MB of such a cache).
        List<RgbImage> decoded = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.PIL_MAX_IMAGE_PIXELS);
        for (Path file : files.subList(0, Math.min(files.size(), 100))) {
            decoded.add(decoder.decode(Files.readAllBytes(file)).image());
        }
        for (int threads : new int[] {1, 2}) {
            double seconds = 0;
            int done = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                done += runDecoded(decoded, threads, files.size());
                seconds += (System.nanoTime() - t0) / 1e9;
            }
            emit("image-train-cached", threads, done / seconds);
        }
    }

    enum Work {
        DECODE,
        TRAIN,
        TEST
    }

    /** The folder of {@code count} photo-like JPEGs in 10 class folders, made once and reused while it is complete. */
    static List<Path> makeFolder(Path folder, int count) throws IOException {
        Path done = folder.resolve(".complete-" + count);
        if (!Files.exists(done)) {
            for (int i = 0; i < count; i++) {
                Path file = folder.resolve(String.format(Locale.ROOT, "class%d/img%05d.jpg", i % CLASSES, i));
                Files.createDirectories(file.getParent());
                Files.write(file, SyntheticImages.jpeg(SyntheticImages.photo(WIDTH, HEIGHT, i), 0.9f));
            }
            Files.write(done, new byte[0]);
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    private static void measure(String kind, List<Path> files, int threads, Work work, int rounds) throws Exception {
        double seconds = 0;
        int done = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            done += run(files, threads, work, files.size(), null);
            seconds += (System.nanoTime() - t0) / 1e9;
        }
        emit(kind, threads, done / seconds);
    }

    /** Each thread takes the next file, reads, decodes and transforms it into its own output array. */
    static int run(List<Path> files, int threads, Work work, int count, Void unused) throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.PIL_MAX_IMAGE_PIXELS);
        ImageTransforms transforms = new ImageTransforms(SIZE);
        return onThreads(threads, count, transforms, (i, out) -> {
            RgbImage image = decoder.decode(Files.readAllBytes(files.get(i))).image();
            if (work == Work.TRAIN) {
                train(transforms, image, i, out);
            } else if (work == Work.TEST) {
                transforms.test(image.rgb(), image.width(), image.height(), out, 0);
            }
        });
    }

    private static int runDecoded(List<RgbImage> images, int threads, int count) throws Exception {
        ImageTransforms transforms = new ImageTransforms(SIZE);
        return onThreads(
                threads, count, transforms, (i, out) -> train(transforms, images.get(i % images.size()), i, out));
    }

    private static void train(ImageTransforms transforms, RgbImage image, int i, float[] out) {
        transforms.train(
                image.rgb(), image.width(), image.height(), new SplittableRandom(Seeds.derive(0, 1, i, 0xA06)), out, 0);
    }

    interface PerImage {
        void apply(int index, float[] out) throws Exception;
    }

    /** Images 0..count-1 shared out to {@code threads} threads (each takes the next index), each with its output. */
    private static int onThreads(int threads, int count, ImageTransforms transforms, PerImage work) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> {
                    float[] out = new float[transforms.outputLength()];
                    int n = 0;
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        work.apply(i, out);
                        n++;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> part : parts) {
                total += part.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void emit(String kind, int threads, double rate) {
        ObjectNode n = JSON.createObjectNode();
        n.put("impl", "djl");
        n.put("kind", kind);
        n.put("threads", threads);
        n.put("size", SIZE);
        n.put("imagesPerSecond", rate);
        n.put("perThread", rate / threads);
        System.out.println(TrainerBench.PREFIX + n);
    }

    /** The side-by-side table of the image measurements (Java and PyTorch per kind and thread count). */
    static TextTable table(List<JsonNode> measurements) {
        TextTable table = new TextTable(
                "image pipeline (500x375 JPEG, 224 px)",
                "threads",
                "Java img/s",
                "per thread",
                "PyTorch img/s",
                "per thread",
                "Java/PyTorch");
        for (String kind : List.of("image-decode", "image-train", "image-test", "image-train-cached")) {
            for (int threads : new int[] {1, 2}) {
                JsonNode java = find(measurements, "djl", kind, threads);
                JsonNode py = find(measurements, "pytorch", kind, threads);
                if (java == null && py == null) {
                    continue;
                }
                Double j = java == null ? null : java.path("imagesPerSecond").asDouble();
                Double p = py == null ? null : py.path("imagesPerSecond").asDouble();
                table.row(
                        kind.substring("image-".length()),
                        threads,
                        j == null ? "-" : Benchmarks.fmt(j),
                        j == null ? "-" : Benchmarks.fmt(j / threads),
                        p == null ? "-" : Benchmarks.fmt(p),
                        p == null ? "-" : Benchmarks.fmt(p / threads),
                        j == null || p == null ? "-" : Benchmarks.fmt(j / p) + "x");
            }
        }
        return table;
    }

    private static JsonNode find(List<JsonNode> measurements, String impl, String kind, int threads) {
        for (JsonNode n : measurements) {
            if (n.path("impl").asText().equals(impl)
                    && n.path("kind").asText().equals(kind)
                    && n.path("threads").asInt() == threads) {
                return n;
            }
        }
        return null;
    }
}
