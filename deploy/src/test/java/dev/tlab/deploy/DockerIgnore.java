package dev.tlab.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A .dockerignore file, read as Docker reads one (moby/patternmatcher): one pattern a line, {@code #} comments,
 * {@code !} re-includes, {@code **} any number of folders, the last pattern that matches a path or one of its parent
 * folders decides, and an ignored folder takes everything in it along.
 */
final class DockerIgnore {

    private record Rule(boolean include, List<PathMatcher> matchers, String pattern) {}

    private final List<Rule> rules = new ArrayList<>();

    DockerIgnore(String text) {
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean include = line.startsWith("!");
            String pattern = (include ? line.substring(1) : line).strip();
            pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
            List<PathMatcher> matchers = new ArrayList<>();
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            // Docker's ** also matches no folder at all: **/target matches target at the root.
            if (pattern.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
            rules.add(new Rule(include, matchers, pattern));
        }
    }

    /** Whether a context-relative path (folder or file) stays out of the build context. */
    boolean ignores(String relative) {
        Path path = Path.of(relative);
        boolean ignored = false;
        for (Rule rule : rules) {
            if (matchesItselfOrAParent(rule, path)) {
                ignored = !rule.include();
            }
        }
        return ignored;
    }

    /** Whether any pattern re-includes something (then an ignored folder must still be looked into). */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::include);
    }

    private static boolean matchesItselfOrAParent(Rule rule, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            Path candidate = p;
            if (rule.matchers().stream().anyMatch(m -> m.matches(candidate))) {
                return true;
            }
        }
        return false;
    }
}
