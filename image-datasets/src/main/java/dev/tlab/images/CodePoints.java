package dev.tlab.images;

import java.util.Comparator;

/**
 * Strings in Unicode code point order: Python's {@code sorted} on str, and so torchvision's class order, whatever the
 * OS or locale. Java's {@code String.compareTo} compares UTF-16 units, which puts a character above U+FFFF (an emoji)
 * before U+E000..U+FFFF; this does not.
 */
final class CodePoints {

    static final Comparator<String> ORDER = CodePoints::compare;

    private CodePoints() {}

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
