package dev.tlab.images;

/**
 * Why a dataset cannot be used, naming the file, class, folder or limit it is about ({@link #subject()}) and saying
 * what to do. The dataset service turns it into a 4xx answer: {@link Problem#LIMIT_EXCEEDED} with the limit's name,
 * everything else with the subject.
 */
public final class ImageDatasetException extends RuntimeException {

    public enum Problem {
        /** No file or folder at the location. */
        NOT_FOUND,
        /** The location, or a link in it, leads outside the configured roots. */
        OUTSIDE_ROOTS,
        /** Neither a folder nor a supported archive. */
        UNSUPPORTED_SOURCE,
        /** An archive entry that could escape its folder or is not a plain file: {@code ..}, absolute, a link. */
        UNSAFE_ENTRY,
        /** A {@link ScanLimits} limit; the subject is its name. */
        LIMIT_EXCEEDED,
        /** The folders are not one of the layouts. */
        LAYOUT,
        /** Fewer than two classes. */
        TOO_FEW_CLASSES,
        /** A class folder without a usable image. */
        EMPTY_CLASS,
        /** A class in one split but not in another. */
        CLASS_MISSING_IN_SPLIT,
        /** The same image (by digest) under two classes. */
        SAME_IMAGE_IN_TWO_CLASSES,
        /** A class with fewer images than the experiment needs. */
        TOO_FEW_IMAGES,
        /** Rejected images under the {@code fail} policy. */
        REJECTED_IMAGES,
        /** Split fractions or a subset that cannot be made. */
        INVALID_REQUEST,
        /** The storage itself failed while reading. */
        UNREADABLE
    }

    private final Problem problem;
    private final String subject;

    public ImageDatasetException(Problem problem, String subject, String message) {
        super(message);
        this.problem = problem;
        this.subject = subject;
    }

    public ImageDatasetException(Problem problem, String subject, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.subject = subject;
    }

    static ImageDatasetException limit(ScanLimits.Limit limit, ScanLimits limits, String what) {
        return new ImageDatasetException(
                Problem.LIMIT_EXCEEDED,
                limit.key(),
                what + ": more than " + limit.describe(limits.value(limit)) + "; ask the operator to raise "
                        + limit.key() + " or make the dataset smaller");
    }

    public Problem problem() {
        return problem;
    }

    /** The file, class, folder or limit name this is about. */
    public String subject() {
        return subject;
    }
}
