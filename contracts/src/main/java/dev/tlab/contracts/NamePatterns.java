package dev.tlab.contracts;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Glob matching of parameter names: {@code *} matches any characters, every other character is literal. */
public final class NamePatterns {
    private NamePatterns() {}

    public static boolean matches(String glob, String name) {
        return toRegex(glob).matcher(name).matches();
    }

    public static boolean matchesAny(List<String> globs, String name) {
        return globs.stream().anyMatch(glob -> matches(glob, name));
    }

    static Pattern toRegex(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1))
                .map(literal -> literal.isEmpty() ? "" : Pattern.quote(literal))
                .collect(Collectors.joining(".*")));
    }
}
