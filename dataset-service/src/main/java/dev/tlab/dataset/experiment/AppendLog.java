package dev.tlab.dataset.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A file of whitespace-separated records, one per line, only ever appended to, so it survives restarts and crashes. */
final class AppendLog {
    private final Path file;

    AppendLog(Path file) {
        this.file = file;
    }

    /** Every line's fields, in order; a missing file has none. */
    List<String[]> records() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(line -> line.strip().split("\\s+"))
                    .filter(fields -> !fields[0].isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    synchronized void append(String... fields) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    String.join(" ", fields) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
