package dev.tlab.images;

import java.util.Comparator;

/**
 * The order of a class's images: torchvision's {@code make_dataset} walks {@code sorted(os.walk(class_dir))} and each
 * folder's {@code sorted(fnames)}, so images are ordered by their folder's path, then by file name, in code point
 * order. (By whole path, {@code a-b/x.jpg} would come before {@code a/y.jpg}; torchvision puts {@code a/} first.)
 */
final class ImageOrder {

    static final Comparator<ScannedFile> TORCHVISION = (x, y) -> compare(x.path(), y.path());

    private ImageOrder() {}

    static int compare(String a, String b) {
        int slashA = a.lastIndexOf('/');
        int slashB = b.lastIndexOf('/');
        String folderA = slashA < 0 ? "" : a.substring(0, slashA);
        String folderB = slashB < 0 ? "" : b.substring(0, slashB);
        int byFolder = CodePoints.compare(folderA, folderB);
        return byFolder != 0 ? byFolder : CodePoints.compare(a.substring(slashA + 1), b.substring(slashB + 1));
    }
}
