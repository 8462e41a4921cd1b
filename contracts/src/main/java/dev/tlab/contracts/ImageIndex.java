package dev.tlab.contracts;

import java.util.List;

/**
 * Every image of a manifest of the user's own images ({@link ImageManifest#index()}): too long for the manifest
 * message, so the dataset service serves it as a file ({@code GET /manifests/{id}/index}) whose sha256 the manifest
 * carries, and trainers fetch it, check it and fetch each image it lists by its sha256. Written by the dataset service
 * with {@link EventCodec} (compact JSON, UTF-8); its bytes are what the sha256 covers.
 *
 * @param classes the class map: label i is {@code classes.get(i)}
 * @param train the train split, by label, then in torchvision's order within a class
 * @param val the validation split (empty when none was asked for); served, not trained on yet
 * @param test the test split
 * @param subset the training images chosen from {@code train} (the policy's rule)
 * @param rejects every image file that could not be used
 * @param leakage every image whose bytes are in two splits
 */
public record ImageIndex(
        List<String> classes,
        List<Image> train,
        List<Image> val,
        List<Image> test,
        List<Image> subset,
        List<ImageManifest.RejectedFile> rejects,
        List<ImageManifest.Leak> leakage,
        List<ImageManifest.IgnoredFiles> ignored) {

    public ImageIndex {
        classes = List.copyOf(Fields.required(classes, "classes"));
        train = List.copyOf(Fields.required(train, "train"));
        val = List.copyOf(Fields.required(val, "val"));
        test = List.copyOf(Fields.required(test, "test"));
        subset = List.copyOf(Fields.required(subset, "subset"));
        rejects = List.copyOf(Fields.required(rejects, "rejects"));
        leakage = List.copyOf(Fields.required(leakage, "leakage"));
        ignored = List.copyOf(Fields.required(ignored, "ignored"));
        for (List<Image> split : List.of(train, val, test, subset)) {
            for (Image image : split) {
                if (image.label() < 0 || image.label() >= classes.size()) {
                    throw new InvalidFieldException(
                            "label",
                            image.path() + " has label " + image.label() + " of " + classes.size() + " classes");
                }
            }
        }
    }

    /**
     * One image file: its path in the source, its label, the sha256 of its bytes (its name in the store), its size and
     * its pixels.
     */
    public record Image(String path, int label, String sha256, long bytes, int width, int height) {
        public Image {
            Fields.requiredText(path, "path");
            Fields.sha256(Fields.requiredText(sha256, "sha256"), "sha256");
        }
    }
}
