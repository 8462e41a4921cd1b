package dev.tlab.trainer.engine;

import java.util.Objects;
import java.util.regex.Pattern;

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

    public boolean matches(String parameterName) {
        return regex().matcher(parameterName).matches();
    }

    private Pattern regex() {
        StringBuilder re = new StringBuilder();
        int start = 0;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*') {
                if (i > start) {
                    re.append(Pattern.quote(glob.substring(start, i)));
                }
                re.append(".*");
                start = i + 1;
            }
        }
        if (start < glob.length()) {
            re.append(Pattern.quote(glob.substring(start)));
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return glob;
    }
}
