package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;

/**
 * What a job's final evaluation found on the test set (part of {@link JobCompleted}). Indices are class-map indices:
 * class {@code k} is {@code classes[k]}.
 *
 * <p>Written without its null fields, so that figures added later (the selected epoch of a validation-based selection,
 * for one) do not change the JSON of an evaluation that has none of them.
 *
 * @param classes the class names in class-map order: the manifest's names, and {@code output K} for each output of a
 *     model with more outputs than the manifest has classes (so that predictions of those outputs stay visible); 2 to
 *     {@value #MAX_CLASSES} names of 1 to {@value #MAX_CLASS_NAME_LENGTH} characters, distinct
 * @param testImages how many test images were evaluated
 * @param confusionMatrix {@code confusionMatrix[t][p]}: test images of true class {@code t} predicted as {@code p}, one
 *     row and one column per class; left out above {@value #MAX_MATRIX_CLASSES} classes (then it is counted from the
 *     predictions file), so that the message stays well under a topic's 1 MiB
 * @param calibration the top-label confidences, binned
 * @param predictions the per-image predictions kept next to the fine-tuned model, null when the trainer keeps no models
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        List<String> classes,
        Long testImages,
        List<List<Long>> confusionMatrix,
        CalibrationSums calibration,
        PredictionsArtifact predictions) {

    /** The most classes an evaluation names: 1,024 names of 256 characters take 270 KB of a message. */
    public static final int MAX_CLASSES = 1024;

    public static final int MAX_CLASS_NAME_LENGTH = 256;
    /**
     * The most classes whose matrix travels in the message: 65,536 counts summing to at most a predictions file's
     * million images take less than 300 KB as JSON.
     */
    public static final int MAX_MATRIX_CLASSES = 256;

    public Evaluation {
        classes = Fields.noNullItems(Fields.required(classes, "evaluation.classes"), "evaluation.classes");
        if (classes.size() < 2 || classes.size() > MAX_CLASSES) {
            throw new InvalidFieldException(
                    "evaluation.classes", "must name 2 to " + MAX_CLASSES + " classes, named " + classes.size());
        }
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (name.isBlank() || name.length() > MAX_CLASS_NAME_LENGTH) {
                throw new InvalidFieldException(
                        "evaluation.classes[" + i + "]",
                        "must be 1 to " + MAX_CLASS_NAME_LENGTH + " characters, not blank, was " + Fields.quote(name));
            }
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new InvalidFieldException("evaluation.classes", "class names must be distinct");
        }
        long images = Fields.required(testImages, "evaluation.testImages");
        if (images < 0) {
            throw new InvalidFieldException("evaluation.testImages", "must not be negative, was " + images);
        }
        confusionMatrix = confusionMatrix == null ? null : checkedMatrix(confusionMatrix, classes.size(), images);
        Fields.required(calibration, "evaluation.calibration");
        if (calibration.total() != images) {
            throw new InvalidFieldException(
                    "evaluation.calibration",
                    "holds " + calibration.total() + " predictions for " + images + " test images");
        }
        if (predictions != null && predictions.images() != images) {
            throw new InvalidFieldException(
                    "evaluation.predictions.images",
                    "the file holds " + predictions.images() + " images, the evaluation " + images);
        }
    }

    private static List<List<Long>> checkedMatrix(List<List<Long>> rows, int classes, long images) {
        if (classes > MAX_MATRIX_CLASSES) {
            throw new InvalidFieldException(
                    "evaluation.confusionMatrix",
                    "is left out above " + MAX_MATRIX_CLASSES + " classes (" + classes
                            + " here): the predictions file holds it");
        }
        if (rows.size() != classes) {
            throw new InvalidFieldException(
                    "evaluation.confusionMatrix", "must have one row per class: " + rows.size() + " for " + classes);
        }
        long sum = 0;
        for (int t = 0; t < classes; t++) {
            String field = "evaluation.confusionMatrix[" + t + "]";
            List<Long> row = Fields.noNullItems(Fields.required(rows.get(t), field), field);
            if (row.size() != classes) {
                throw new InvalidFieldException(
                        field, "must have one count per class: " + row.size() + " for " + classes);
            }
            for (long count : row) {
                if (count < 0) {
                    throw new InvalidFieldException(field, "counts must not be negative, was " + count);
                }
                sum += count;
            }
        }
        if (sum != images) {
            throw new InvalidFieldException(
                    "evaluation.confusionMatrix", "counts " + sum + " images, the evaluation " + images);
        }
        return rows.stream().map(List::copyOf).toList();
    }

    /** Correct predictions: the matrix's diagonal, or null when the matrix was left out. */
    public Long correct() {
        if (confusionMatrix == null) {
            return null;
        }
        long correct = 0;
        for (int c = 0; c < confusionMatrix.size(); c++) {
            correct += confusionMatrix.get(c).get(c);
        }
        return correct;
    }
}
