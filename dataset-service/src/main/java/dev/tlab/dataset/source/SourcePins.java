package dev.tlab.dataset.source;

import dev.tlab.datafiles.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The fingerprint each dataset folder had when it was verified ({@code <folder>=<sha256>} in a properties file in the
 * data folder), so that a folder whose bytes change afterwards is refused instead of silently yielding new manifests,
 * also after a restart. A folder unpacked from an md5-verified archive or generated here is pinned with the fingerprint
 * it had right then; any other folder (a configured one) on its first use.
 */
public final class SourcePins {
    private final Path file;
    private final Properties pins = new Properties();

    public SourcePins(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                pins.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    /** Pins the dataset's current fingerprint: it was just made from a verified source. */
    public synchronized void pin(CifarDataset dataset) {
        pins.setProperty(key(dataset.folder()), dataset.fingerprint());
        save();
    }

    /** Pins a folder seen for the first time; refuses one whose fingerprint differs from its pin. */
    public synchronized void checkOrPin(CifarDataset dataset) {
        String pinned = pins.getProperty(key(dataset.folder()));
        if (pinned == null) {
            pin(dataset);
        } else if (!pinned.equals(dataset.fingerprint())) {
            throw new DatasetException("the dataset in " + dataset.folder() + " has changed since it was verified"
                    + " (sha256 fingerprint now " + dataset.fingerprint() + ", verified " + pinned + "): its files are"
                    + " damaged or were replaced, and nothing is built or served from it. Restore the files (a folder"
                    + " unpacked from an archive or generated here: delete it and it is made again), or, if the change"
                    + " is intended, delete its line in " + file);
        }
    }

    private static String key(Path folder) {
        return folder.toAbsolutePath().normalize().toString();
    }

    private void save() {
        AtomicFiles.write(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            pins.store(writer, "sha256 fingerprint of each dataset folder when it was verified (dataset-service)");
            writer.flush();
        });
    }
}
