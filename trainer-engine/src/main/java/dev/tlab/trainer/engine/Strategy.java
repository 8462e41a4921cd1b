package dev.tlab.trainer.engine;

import dev.tlab.contracts.StrategySpec;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A fine-tuning strategy as data: a name and the parameter-name patterns that stay trainable; every
 * other parameter is frozen.
 *
 * <p>Built-ins reproduce the reference notebook:
 *
 * <ul>
 *   <li>{@code freeze} = {@code conv1.*, bn1.*, fc.*}. The notebook only sets {@code requires_grad=False}
 *       on {@code layer1}..{@code layer4}, so the stem ({@code conv1}, {@code bn1}) stays trainable
 *       next to the new head: 14,666 trainable parameters on ResNet-18, not just the 5,130 of
 *       {@code fc}. This quirk is kept on purpose; a backward pass therefore still runs through every
 *       block, and "freeze" is not faster than "partial".
 *   <li>{@code partial} = {@code layer4.*, fc.*} (8,398,858 trainable).
 *   <li>{@code full} = {@code *} (all 11,181,642).
 * </ul>
 */
public record Strategy(String name, List<ParameterGlob> trainable) {

    public static final Strategy FREEZE = fromContracts(StrategySpec.FREEZE);
    public static final Strategy PARTIAL = fromContracts(StrategySpec.PARTIAL);
    public static final Strategy FULL = fromContracts(StrategySpec.FULL);

    public Strategy {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a strategy needs a name");
        }
        trainable = List.copyOf(trainable);
    }

    /** A strategy from a name and glob patterns, e.g. {@code of("upper", "layer3.*", "layer4.*", "fc.*")}. */
    public static Strategy of(String name, String... patterns) {
        return of(name, List.of(patterns));
    }

    public static Strategy of(String name, List<String> patterns) {
        return new Strategy(name, patterns.stream().map(ParameterGlob::new).toList());
    }

    /** One of the built-ins by name (case-insensitive). */
    public static Strategy builtIn(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "freeze" -> FREEZE;
            case "partial" -> PARTIAL;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(
                    "unknown strategy '" + name + "': use freeze, partial, full or give its patterns");
        };
    }

    /** The built-ins are defined once, in the contracts that jobs carry them in. */
    private static Strategy fromContracts(String name) {
        return of(name, StrategySpec.BUILT_IN.get(name));
    }

    public static List<Strategy> builtIns() {
        return List.of(FREEZE, PARTIAL, FULL);
    }

    public boolean isTrainable(String parameterName) {
        return trainable.stream().anyMatch(g -> g.matches(parameterName));
    }

    public List<String> patterns() {
        return trainable.stream().map(ParameterGlob::glob).toList();
    }
}
