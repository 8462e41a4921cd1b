package dev.tlab.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ImageIndex;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.SyntheticImages;
import dev.tlab.trainer.engine.data.ImageTransforms;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job of the user's own images gets its manifest's index and images from the dataset service over real HTTP, each
 * checked against its sha256, with the reader token and to that origin only, cached by content; what the data threads
 * read decodes and transforms at any original size, with the class count the model's head is to have.
 */
class ImageTrainingDataTest {
    private static final String TOKEN = "reader-token";
    private static final List<String> CLASSES = List.of("bird", "cat", "dog");

    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private byte[] index;
    private ImageIndex parsedIndex;

    @TempDir
    Path cache;

    @BeforeEach
    void serve() throws IOException {
        List<ImageIndex.Image> subset = new ArrayList<>();
        List<ImageIndex.Image> test = new ArrayList<>();
        List<ImageIndex.Image> val = new ArrayList<>();
        int seed = 0;
        for (int label = 0; label < CLASSES.size(); label++) {
            for (int i = 0; i < 4; i++) {
                seed++;
                int width = 30 + 7 * seed;
                int height = 20 + 5 * (seed % 4);
                byte[] jpeg = SyntheticImages.jpeg(SyntheticImages.photo(width, height, seed), 0.9f);
                String sha256 = Checksums.sha256Hex(jpeg);
                served.put("/m/images/" + sha256, jpeg);
                ImageIndex.Image image = new ImageIndex.Image(
                        CLASSES.get(label) + "/" + i + ".jpg", label, sha256, jpeg.length, width, height);
                (i < 2 ? subset : i == 2 ? test : val).add(image);
            }
        }
        parsedIndex = new ImageIndex(CLASSES, subset, val, test, subset, List.of(), List.of(), List.of());
        index = EventCodec.toBytes(parsedIndex);
        served.put("/m/index", index);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] body = served.get(path);
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private DatasetClient client() {
        return new DatasetClient(cache, Optional.of(TOKEN), base(), 1 << 20);
    }

    /** The golden manifest of images, pointed at this server's index and images. */
    private DatasetManifest manifest(String imagesBase, String indexSha256) {
        String json = """
                {"eventId":"00000000-0000-4000-8000-000000000111","type":"DatasetManifest","schemaVersion":2,
                 "occurredAt":"2026-11-28T00:00:00Z","manifestId":"m-00112233445566778899aabbccddeeff",
                 "dataset":"images","synthetic":false,"sourceFingerprint":"%1$s","classNames":["bird","cat","dog"],
                 "perClassCounts":[2,2,2],"policy":{"name":"all","samplesPerClass":null,"seed":0},
                 "trainIndices":[],"subsetDigest":"%1$s","testCount":3,"testDigest":"%1$s",
                 "trainDataUrl":null,"testDataUrl":null,
                 "images":{"source":{"kind":"folder","location":"pets","archiveSha256":null},
                  "layout":"class-folders","root":"pets","split":{"val":0.1,"test":0.2,"seed":0},"splits":[],
                  "subset":{"rule":"all","samplesPerClass":null,"seed":0,"images":6,"perClass":[2,2,2],
                   "digest":"%1$s"},
                  "rejectPolicy":"skip","rejectCount":0,"rejects":[],"ignored":[],"leakCount":0,"leakage":[],
                  "notes":{"exifRotated":0,"lossyWebp":0},"totals":{"images":9,"bytesRead":1,"pixels":1},
                  "fingerprint":"%1$s","index":{"url":"%2$s/m/index","sha256":"%3$s","bytes":%4$d},
                  "imagesUrl":"%5$s/m/images"}}
                """.formatted("a".repeat(64), base(), indexSha256, index.length, imagesBase);
        return EventCodec.fromJson(json, DatasetManifest.class);
    }

    @Test
    void theIndexAndImagesAreFetchedVerifiedWithTheTokenAndCachedByContent() {
        DatasetManifest manifest = manifest(base(), Checksums.sha256Hex(index));
        TrainingData data = client().trainingData(manifest);

        assertEquals(3, data.classes());
        assertEquals(6, data.train().size());
        assertEquals(3, data.test().size());
        assertEquals(3, data.train().classes());
        assertEquals(
                List.of(0, 0, 1, 1, 2, 2),
                List.of(0, 1, 2, 3, 4, 5).stream().map(data.train()::label).toList());
        assertNull(data.val(), "a job that does not select its epoch does not fetch the validation split");
        assertEquals(1 + 9, requests.size(), "the index and each image once: " + requests);
        assertTrue(requests.stream().allMatch(r -> r.endsWith(" Bearer " + TOKEN)), requests.toString());

        // images of unequal sizes decode and take the notebook's transforms in the data threads
        ImageTransforms transforms = new ImageTransforms(32);
        float[] out = new float[3 * 32 * 32];
        data.train().train(5, transforms, new SplittableRandom(1), out, 0);
        data.test().test(2, transforms, out, 0);

        requests.clear();
        TrainingData again = client().trainingData(manifest);
        assertEquals(6, again.train().size());
        assertEquals(List.of(), requests, "a second job of the same manifest reads the cache");
    }

    @Test
    void aJobThatSelectsItsEpochAlsoFetchesTheValidationSplit() {
        DatasetManifest manifest = manifest(base(), Checksums.sha256Hex(index));
        TrainingData data = client().trainingData(manifest, true);

        assertEquals(3, data.val().size());
        assertEquals(
                List.of(0, 1, 2),
                List.of(0, 1, 2).stream().map(data.val()::label).toList());
        assertEquals(1 + 12, requests.size(), "the index and each image of the three splits once: " + requests);
        float[] out = new float[3 * 32 * 32];
        data.val().test(1, new ImageTransforms(32), out, 0);
    }

    @Test
    void anImageWhoseBytesAreNotItsDigestFailsTheJobForGood() {
        String damaged = parsedIndex.test().get(0).sha256();
        served.put("/m/images/" + damaged, "not the image".getBytes(StandardCharsets.UTF_8));
        DatasetManifest manifest = manifest(base(), Checksums.sha256Hex(index));

        DatasetClient.DataIntegrityException e =
                assertThrows(DatasetClient.DataIntegrityException.class, () -> client().trainingData(manifest));
        assertTrue(e.getMessage().contains(damaged), e.getMessage());
    }

    @Test
    void anIndexWhoseBytesAreNotTheManifestsDigestIsRefused() {
        DatasetManifest manifest = manifest(base(), "b".repeat(64));
        assertThrows(DatasetClient.DataIntegrityException.class, () -> client().trainingData(manifest));
    }

    @Test
    void aCachedImageDamagedAfterItsFetchIsNotDecoded() throws IOException {
        DatasetManifest manifest = manifest(base(), Checksums.sha256Hex(index));
        TrainingData data = new DatasetClient(cache, Optional.of(TOKEN), base(), 0).trainingData(manifest);
        String sha256 = parsedIndex.subset().get(0).sha256();
        Path cached = cache.resolve("images").resolve(sha256.substring(0, 2)).resolve(sha256);
        cached.toFile().setWritable(true);
        // another image of the dataset: it would decode, so only the digest tells it is not this one
        Files.write(cached, served.get("/m/images/" + parsedIndex.test().get(0).sha256()));

        float[] out = new float[3 * 32 * 32];
        DatasetClient.DataUnavailableException e = assertThrows(
                DatasetClient.DataUnavailableException.class,
                () -> data.train().test(0, new ImageTransforms(32), out, 0));
        assertTrue(e.getMessage().contains(sha256), e.getMessage());
    }

    @Test
    void aManifestWhoseImagesAreElsewhereIsRefusedBeforeAnyRequest() {
        DatasetManifest elsewhere = manifest("http://127.0.0.2:9", Checksums.sha256Hex(index));
        served.put("/manifests/m", EventCodec.toBytes(elsewhere));
        DatasetClient.DataOriginException e =
                assertThrows(DatasetClient.DataOriginException.class, () -> client().manifest(base() + "/manifests/m"));
        assertTrue(e.getMessage().contains("images.imagesUrl"), e.getMessage());
        assertFalse(requests.stream().anyMatch(r -> r.contains("/m/")), requests.toString());
    }
}
