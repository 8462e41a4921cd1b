package dev.tlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The two large inputs of the notebook's study, fetched and verified before anything else starts: CIFAR-10's binary
 * archive (md5 as published by its authors) and torchvision's ImageNet ResNet-18 weights as a safetensors file (the
 * copy on Hugging Face, timm/resnet18.tv_in1k, pinned to a commit and its LFS sha256). A file already in place is
 * verified and reused; offline, or when a download fails, the message says which file to put where.
 */
final class NotebookInputs {
    static final String CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    static final String CIFAR_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final String CIFAR_FILE = "cifar-10-binary.tar.gz";
    /** timm's copy of torchvision's IMAGENET1K_V1 weights, same parameter names, pinned to commit a987fd6. */
    static final String WEIGHTS_URL = "https://huggingface.co/timm/resnet18.tv_in1k/resolve/"
            + "a987fd6b60f845221bfff84b6f0191273ba56ead/model.safetensors";

    static final String WEIGHTS_SHA256 = "694f673df6520a3158624e8a89af086f59923ee4cd7436fe5bc3bc71d295ad81";
    static final String WEIGHTS_FILE = "models/resnet18.tv_in1k.safetensors";

    /** Where the inputs are: the weights file and the CIFAR-10 archive, both verified. */
    record Prepared(Path weights, Path cifarArchive) {}

    /** An input is missing and cannot be fetched; the message is the instructions. */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message);
        }
    }

    private NotebookInputs() {}

    /**
     * @param needWeights false when the user named a model or weights of their own
     * @param cifarArchive where the archive is or will be downloaded to
     *     ({@code <work-dir>/data/cifar-10-binary.tar.gz}), null when the user named a CIFAR-10 source
     */
    static Prepared prepare(Path root, boolean needWeights, Path cifarArchive, boolean offline, java.io.PrintStream log)
            throws Missing {
        Path weights = needWeights ? root.resolve(WEIGHTS_FILE).toAbsolutePath().normalize() : null;
        List<String> problems = new ArrayList<>();
        if (weights != null) {
            fetch("ImageNet weights", WEIGHTS_URL, "sha256", WEIGHTS_SHA256, weights, offline, log, problems);
        }
        if (cifarArchive != null) {
            fetch("CIFAR-10", CIFAR_URL, "md5", CIFAR_MD5, cifarArchive, offline, log, problems);
        }
        if (!problems.isEmpty()) {
            throw new Missing("The notebook's study needs files that are not here"
                    + (offline ? " (offline: nothing is downloaded)" : "")
                    + ". Place them, then run the same command again:"
                    + String.join("", problems.stream().map(p -> "\n  - " + p).toList())
                    + "\nOr name other copies: --cifar-archive FILE / --cifar-dir DIR, --weights FILE.");
        }
        return new Prepared(weights, cifarArchive);
    }

    private static void fetch(
            String what,
            String url,
            String algorithm,
            String expected,
            Path target,
            boolean offline,
            java.io.PrintStream log,
            List<String> problems) {
        String instructions = target + " (" + what + ", " + algorithm + " " + expected + "), from " + url;
        if (Files.isRegularFile(target)) {
            String actual = digest(target, algorithm);
            if (expected.equals(actual)) {
                log.printf("  %s: %s (%s verified)%n", what, target, algorithm);
                return;
            }
            problems.add(instructions + " — the file there has " + algorithm + " " + actual + ": replace it");
            return;
        }
        if (offline) {
            problems.add(instructions);
            return;
        }
        log.printf("  %s: downloading %s ...%n", what, url);
        try {
            download(url, target);
        } catch (IOException e) {
            problems.add(instructions + " — the download failed: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(instructions + " — the download was interrupted");
            return;
        }
        String actual = digest(target, algorithm);
        if (!expected.equals(actual)) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // reported below either way
            }
            problems.add(instructions + " — the download has " + algorithm + " " + actual + ", so it was deleted");
            return;
        }
        log.printf("  %s: %s (%s verified)%n", what, target, algorithm);
    }

    private static void download(String url, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".part");
        try {
            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofMinutes(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("md5".equals(algorithm) ? "MD5" : "SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
