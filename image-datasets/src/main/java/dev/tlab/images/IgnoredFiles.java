package dev.tlab.images;

import java.util.List;

/** How many files or folders were left out for one reason, with the first few paths (in path order). */
public record IgnoredFiles(IgnoreReason reason, int count, List<String> examples) {

    static final int EXAMPLES = 5;
}
