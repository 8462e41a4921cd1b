package dev.tlab.images;

/** An image file that is not used, by its path in the source, with the reason and the decoder's detail. */
public record Reject(String path, RejectReason reason, String detail) {

    /** One line for people: path, reason, detail. */
    public String describe() {
        return path + ": " + reason.description() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
