package dev.tlab.images;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives a dataset source's entries, in the order the source yields them. Paths are relative to the source's root,
 * '/'-separated, without a leading or trailing '/'.
 */
interface EntrySink {

    /** A folder (also one that holds nothing). */
    void folder(String path);

    /** A file with an image's name: its content can be read once, before the next call. */
    void file(String path, long declaredSize, InputStream content) throws IOException;

    /** A file with an image's name whose content the archive cannot give (encrypted, unknown compression). */
    void unreadable(String path, String detail);

    /** A file or folder left out. */
    void ignored(String path, IgnoreReason reason);
}
