package dev.tlab.results.web;

import dev.tlab.contracts.SelectedEpoch;
import io.quarkus.qute.TemplateExtension;
import java.util.Locale;

/**
 * Number formats for the templates, locale-independent so that the page and the SVG read the same on every server:
 * {@code {fmt:n(x)}} for a coordinate, {@code {fmt:fixed(v, 2)}}, {@code {fmt:percent(fraction)}} and
 * {@code {fmt:count(n)}} print an en dash for a missing value.
 */
@TemplateExtension(namespace = "fmt")
public final class Formats {
    static final String MISSING = "\u2013";

    private Formats() {}

    /** A coordinate with one decimal. */
    public static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    public static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A value already in percent, two decimals, or a dash when missing. */
    public static String percent(Double percent) {
        return percent == null ? MISSING : fixed(percent, 2) + "%";
    }

    /** A fraction in [0, 1] shown in percent, two decimals, or a dash when missing. */
    public static String fractionPercent(Double fraction) {
        return fraction == null ? MISSING : fixed(fraction * 100, 2) + "%";
    }

    /** A 95% interval given as fractions, in percent ({@code 80.10–85.30%}), or a dash when missing. */
    public static String interval(Double low, Double high) {
        return low == null || high == null ? MISSING : fixed(low * 100, 2) + MISSING + fixed(high * 100, 2) + "%";
    }

    /** A number with one to four decimals, or a dash when missing. */
    public static String decimals(Double value, int decimals) {
        return value == null ? MISSING : fixed(value, decimals);
    }

    /** A parameter count with thousands separators, or a dash when missing. */
    public static String count(Long value) {
        return value == null ? MISSING : String.format(Locale.ROOT, "%,d", value);
    }

    /** A count of images or files with thousands separators. */
    public static String integer(int value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A p-value as the verdict writes it: two significant digits, {@code < 0.0001} below that. */
    public static String p(Double p) {
        if (p == null) {
            return MISSING;
        }
        if (p < 1e-4) {
            return "< 0.0001";
        }
        return new java.math.BigDecimal(p)
                .round(new java.math.MathContext(2))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** Seconds as a duration: {@code 12.3 s}, {@code 4.2 min}, {@code 3.10 h}; a dash when missing. */
    public static String duration(Double seconds) {
        if (seconds == null) {
            return MISSING;
        }
        if (seconds < 120) {
            return fixed(seconds, 1) + " s";
        }
        if (seconds < 7200) {
            return fixed(seconds / 60, 1) + " min";
        }
        return fixed(seconds / 3600, 2) + " h";
    }

    /** Bytes in MiB, or GiB from 1 GiB on; a dash when missing. */
    public static String bytes(Long bytes) {
        if (bytes == null) {
            return MISSING;
        }
        return bytes >= 1L << 30
                ? fixed(bytes / (double) (1L << 30), 2) + " GiB"
                : fixed(bytes / (double) (1L << 20), 0) + " MiB";
    }

    /** A difference of fractions in signed percentage points, two decimals ({@code +2.17}); a dash when missing. */
    public static String points(Double difference) {
        return difference == null ? MISSING : String.format(Locale.ROOT, "%+.2f", difference * 100);
    }

    /**
     * Which epoch a job with epoch selection was tested on, from its fields: {@code tested on epoch 3 of 5}, with
     * {@code , stopped early} when the patience ran out; the page, the charts and the reports say it alike.
     */
    public static String testedOn(SelectedEpoch selection) {
        return "tested on epoch " + selection.epoch() + " of " + selection.epochsTrained()
                + (selection.stoppedEarly() ? ", stopped early" : "");
    }
}
