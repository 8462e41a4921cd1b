package dev.tlab.images;

/** Why an image file is not used. Each says what is wrong with the file, in words a user can act on. */
public enum RejectReason {
    EMPTY("the file is empty"),
    TOO_MANY_BYTES("the file is larger than the per-file byte limit"),
    NOT_AN_IMAGE("the content is not a JPEG, PNG, BMP, GIF or WebP image"),
    TOO_MANY_PIXELS(
            "the image has more pixels than the per-image pixel limit (checked from its header, before decoding)"),
    TRUNCATED("the file ends before the image does (truncated)"),
    UNDECODABLE("the image cannot be decoded"),
    UNSUPPORTED("the image uses a variant this decoder cannot read"),
    UNREADABLE_ENTRY("the file cannot be read from the archive");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
