package dev.tlab.cli;

import dev.tlab.cli.client.DatasetUploader;
import dev.tlab.cli.client.ServiceAnswer;
import dev.tlab.cli.upload.ReproducibleTar;
import dev.tlab.cli.view.UploadedDatasetSummary;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.UploadedDataset;
import dev.tlab.datafiles.Checksums;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab dataset upload DIR|ARCHIVE}: {@code POST /datasets?sha256=...} of an archive as it is, or of a folder
 * packed by {@link ReproducibleTar} (so the same folder is always the same dataset id); prints the id, then the
 * service's summary.
 */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = {
            "Upload your labelled images to the dataset service (POST /datasets) and print the dataset id (the"
                    + " archive's sha256) on the first line, then what the service found: layout, classes, images per"
                    + " class and split folder, rejects. An archive (.zip, .tar, .tar.gz, .tgz) is sent as it is; a"
                    + " folder (DIR/<class>/<image> or DIR/{train,val,test}/<class>/<image>) is packed as a tar that"
                    + " depends only on its paths and contents (sorted, fixed times and modes, no owners), so the"
                    + " same folder always gives the same id. Symbolic links in the folder are refused.",
            "An experiment names it with \"dataset\": {\"name\": \"images\", \"source\": {\"upload\": \"<id>\"}}."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stored (or the same bytes were there already)",
            "2:bad usage (no such folder or archive, a link in the folder), or the service refused the upload"
                    + " (4xx: the message names the field and the reason, e.g. the trigger token, a limit, no images)",
            "3:the dataset service is unreachable or failed",
            "4:the service did not answer within --timeout",
            "130:interrupted"
        })
class DatasetUploadCommand implements Callable<Integer> {
    private static final List<String> ARCHIVE_ENDINGS = List.of(".zip", ".tar", ".tar.gz", ".tgz");

    @Parameters(paramLabel = "DIR|ARCHIVE", description = "A folder of images, or a .zip, .tar, .tar.gz or .tgz.")
    Path source;

    @Mixin
    DatasetServiceOptions service;

    @Option(
            names = "--timeout",
            defaultValue = "PT30M",
            description = "Give up when the service has not taken and scanned the upload within this ISO-8601"
                    + " duration (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(source)) {
            Path packed = Files.createTempFile("lab-dataset-", ".tar");
            try {
                try (OutputStream out = Files.newOutputStream(packed)) {
                    // the folder named may itself be a link (followed: the user chose it); links inside are refused
                    ReproducibleTar.write(source.toRealPath(), out);
                } catch (ReproducibleTar.RefusedException refused) {
                    System.err.println("DIR: " + refused.getMessage());
                    return ExitCodes.USAGE;
                }
                return upload(packed);
            } finally {
                Files.deleteIfExists(packed);
            }
        }
        if (Files.isRegularFile(source) && isArchive(source)) {
            return upload(source);
        }
        System.err.println("DIR|ARCHIVE: " + source
                + (Files.exists(source)
                        ? " is neither a folder nor a .zip, .tar, .tar.gz or .tgz archive"
                        : " does not exist"));
        return ExitCodes.USAGE;
    }

    static boolean isArchive(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return ARCHIVE_ENDINGS.stream().anyMatch(name::endsWith);
    }

    private int upload(Path archive) throws IOException, java.util.concurrent.TimeoutException {
        String sha256 = Checksums.sha256Hex(archive);
        ServiceAnswer answer =
                new DatasetUploader(service.datasetUrl, service.triggerToken(), timeout).upload(archive, sha256);
        int status = answer.status();
        if (status == 200 || status == 201) {
            UploadedDataset dataset = EventCodec.mapper().treeToValue(answer.body(), UploadedDataset.class);
            System.out.println(dataset.id());
            System.out.print(UploadedDatasetSummary.render(dataset));
            return ExitCodes.OK;
        }
        if (status >= 400 && status < 500) {
            System.err.println("refused (" + status + "): " + answer.field() + ": " + answer.reason()
                    + (status == 401 ? " (give --token or --token-file, or set TLAB_TRIGGER_TOKEN)" : ""));
            return ExitCodes.USAGE;
        }
        System.err.println("the dataset service could not store the upload (" + status + "): " + answer.reason());
        return ExitCodes.UNREACHABLE;
    }
}
