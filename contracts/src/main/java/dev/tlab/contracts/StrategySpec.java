package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A fine-tuning strategy is data: a name and the glob patterns ({@code *} = any characters, everything else literal) of
 * the parameter names that stay trainable; every other parameter is frozen.
 *
 * <p>The built-in {@code freeze} keeps the notebook's quirk: it freezes only {@code layer1}..{@code layer4}, so
 * {@code conv1}, {@code bn1} and {@code fc} stay trainable (14,666 parameters on ResNet-18), not just the head.
 *
 * <p>On the wire a strategy is an object {@code {"name": ..., "trainable": [...]}}; a request may also give a bare
 * built-in name such as {@code "partial"}.
 */
public record StrategySpec(String name, List<String> trainable) {
    public static final String FREEZE = "freeze";
    public static final String PARTIAL = "partial";
    public static final String FULL = "full";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** The notebook's three strategies, in its order (freeze, partial, full): iteration keeps that order. */
    public static final Map<String, List<String>> BUILT_IN;

    static {
        Map<String, List<String>> builtIn = new LinkedHashMap<>();
        builtIn.put(FREEZE, List.of("conv1.*", "bn1.*", "fc.*"));
        builtIn.put(PARTIAL, List.of("layer4.*", "fc.*"));
        builtIn.put(FULL, List.of("*"));
        // not Map.copyOf: its iteration order changes from one JVM to the next
        BUILT_IN = Collections.unmodifiableMap(builtIn);
    }

    public StrategySpec {
        Fields.requiredText(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidFieldException(
                    "name",
                    Fields.quote(name)
                            + " must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        Fields.notEmpty(trainable, "trainable");
        if (trainable == null) {
            List<String> builtIn = BUILT_IN.get(name);
            if (builtIn == null) {
                throw new InvalidFieldException(
                        "trainable",
                        "unknown strategy " + Fields.quote(name) + ": give its trainable patterns or use one of "
                                + notebookOrder());
            }
            trainable = builtIn;
        } else {
            trainable = Fields.patterns(trainable, List.of(), "trainable");
        }
    }

    /** A built-in strategy by name, also how a bare string in JSON is read. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static StrategySpec named(String name) {
        return new StrategySpec(name, null);
    }

    public static List<StrategySpec> notebookStrategies() {
        return notebookOrder().stream().map(StrategySpec::named).toList();
    }

    private static List<String> notebookOrder() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** Whether a parameter name (e.g. {@code layer4.0.conv1.weight}) stays trainable under this strategy. */
    public boolean isTrainable(String parameterName) {
        return NamePatterns.matchesAny(trainable, parameterName);
    }
}
