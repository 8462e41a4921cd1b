package dev.tlab.dataset.source;

import dev.tlab.datafiles.CifarFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Size and modification time of every file of a CIFAR folder: a cheap sign that a file changed since it was verified
 * (then it is verified again in full). Not a proof: a manifest is only ever built after a full verification.
 */
record FolderStamp(List<String> files) {

    static FolderStamp of(Path folder) {
        List<String> files = new ArrayList<>();
        for (String name : CifarFormat.ALL_FILES) {
            Path file = folder.resolve(name);
            try {
                files.add(name + " " + Files.size(file) + " "
                        + Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                files.add(name + " missing");
            }
        }
        return new FolderStamp(List.copyOf(files));
    }
}
