package dev.tlab.images;

/** An image file that is not used, with the reason and the decoder's detail. */
public final class ImageRejectedException extends Exception {

    private final RejectReason reason;
    private final String detail;

    public ImageRejectedException(RejectReason reason, String detail) {
        super(reason.description() + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public RejectReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
