package dev.tlab.trainer.engine;

import dev.tlab.contracts.Fields;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.NamePatterns;
import java.util.List;

/**
 * Every trainable or head pattern must match at least one parameter of the model: one that matches nothing is a typo
 * (or the wrong model) and would train less than asked, or nothing at all, while looking like a success.
 */
public final class PatternCheck {
    private PatternCheck() {}

    /**
     * @param field the list's field, e.g. {@code strategies[1].trainable}; a failure names the pattern's index in it
     */
    public static void requireMatches(List<String> patterns, List<String> parameterNames, String field) {
        for (int j = 0; j < patterns.size(); j++) {
            String pattern = patterns.get(j);
            if (parameterNames.stream().noneMatch(name -> NamePatterns.matches(pattern, name))) {
                throw new InvalidFieldException(
                        field + "[" + j + "]",
                        "pattern " + Fields.quote(pattern) + " matches no parameter of the model ("
                                + describe(parameterNames) + ")");
            }
        }
    }

    private static String describe(List<String> names) {
        if (names.size() <= 6) {
            return "its parameters: " + String.join(", ", names);
        }
        return "its " + names.size() + " parameters: " + String.join(", ", names.subList(0, 3)) + ", ..., "
                + String.join(", ", names.subList(names.size() - 2, names.size()));
    }
}
