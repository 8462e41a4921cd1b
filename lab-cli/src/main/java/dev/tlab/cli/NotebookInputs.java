package dev.tlab.cli;

import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two large inputs of the notebook's study, fetched and verified before anything else starts: CIFAR-10's binary
 * archive (md5 as published by its authors) and torchvision's ImageNet ResNet-18 weights as a safetensors file (the
 * copy on Hugging Face, timm/resnet18.tv_in1k, pinned to a commit and its LFS sha256). A file already in place is
 * verified and reused; a missing one is fetched with data-files' {@link VerifiedDownload} (aside, digest checked, only
 * then moved into place); offline, or when a download fails, the message says which file to put where.
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
    /** The whole transfer of one file (CIFAR-10's archive is 170 MB). */
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);

    /** Where the inputs are: the weights file and the CIFAR-10 archive, both verified. */
    record Prepared(Path weights, Path cifarArchive) {}

    /**
     * One input: what it is, where it comes from, what its bytes must hash to and where it goes.
     *
     * @param digestName how the digest is named to the user ({@code md5}, {@code sha256})
     */
    record Input(String what, String url, String digestName, VerifiedDownload.Digest digest, Path target) {
        /** What to place where, for the user to do by hand. */
        String instructions() {
            return target + " (" + what + ", " + digestName + " " + digest.hex() + "), from " + url;
        }
    }

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
    static Prepared prepare(Path root, boolean needWeights, Path cifarArchive, boolean offline, PrintStream log)
            throws Missing {
        Path weights = needWeights ? root.resolve(WEIGHTS_FILE).toAbsolutePath().normalize() : null;
        VerifiedDownload downloads = VerifiedDownload.withDefaultClient();
        List<String> problems = new ArrayList<>();
        if (weights != null) {
            Input input = new Input(
                    "ImageNet weights", WEIGHTS_URL, "sha256", VerifiedDownload.Digest.sha256(WEIGHTS_SHA256), weights);
            fetch(input, offline, downloads, log).ifPresent(problems::add);
        }
        if (cifarArchive != null) {
            Input input = new Input("CIFAR-10", CIFAR_URL, "md5", VerifiedDownload.Digest.md5(CIFAR_MD5), cifarArchive);
            fetch(input, offline, downloads, log).ifPresent(problems::add);
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

    /**
     * Makes sure {@code input} is in place and verified: reused when there already, else downloaded unless offline.
     *
     * @return what is wrong, for the user's instructions; empty when the file is in place and verified
     */
    static Optional<String> fetch(Input input, boolean offline, VerifiedDownload downloads, PrintStream log) {
        Path target = input.target();
        if (Files.isRegularFile(target)) {
            String actual = digest(target, input.digest().algorithm());
            if (input.digest().hex().equals(actual)) {
                log.printf("  %s: %s (%s verified)%n", input.what(), target, input.digestName());
                return Optional.empty();
            }
            return Optional.of(input.instructions() + " — the file there has " + input.digestName() + " " + actual
                    + ": replace it");
        }
        if (offline) {
            return Optional.of(input.instructions());
        }
        log.printf("  %s: downloading %s ...%n", input.what(), input.url());
        HttpRequest request = HttpRequest.newBuilder(URI.create(input.url()))
                .timeout(DOWNLOAD_TIMEOUT)
                .GET()
                .build();
        try {
            downloads.fetch(request, target, input.digest());
        } catch (VerifiedDownload.Mismatch e) {
            return Optional.of(input.instructions() + " — the download has " + input.digestName() + " " + e.actual()
                    + ", so it was not kept");
        } catch (VerifiedDownload.Failure e) {
            return Optional.of(input.instructions() + " — the download failed: " + e.getMessage());
        }
        log.printf("  %s: %s (%s verified)%n", input.what(), target, input.digestName());
        return Optional.empty();
    }

    private static String digest(Path file, String algorithm) {
        try {
            return Checksums.fileHex(file, algorithm);
        } catch (UncheckedIOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
