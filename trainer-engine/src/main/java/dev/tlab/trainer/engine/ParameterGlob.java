package dev.tlab.trainer.engine;

import dev.tlab.contracts.NamePatterns;
import java.util.Objects;

/**
 * A glob over PyTorch parameter names: {@code *} matches any run of characters (dots included),
 * every other character is literal, so {@code layer4.*} matches {@code layer4.0.conv1.weight} but not
 * {@code layer40.x}. The whole name must match.
 */
public record ParameterGlob(String glob) {

    public ParameterGlob {
        Objects.requireNonNull(glob, "glob");
        if (glob.isBlank()) {
            throw new IllegalArgumentException("a parameter pattern must not be blank");
        }
    }

    /** The same glob rule as the contracts' strategies, so a job's patterns mean here what they meant there. */
    public boolean matches(String parameterName) {
        return NamePatterns.matches(glob, parameterName);
    }

    @Override
    public String toString() {
        return glob;
    }
}
