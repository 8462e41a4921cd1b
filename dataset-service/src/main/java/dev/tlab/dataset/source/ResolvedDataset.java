package dev.tlab.dataset.source;

/**
 * A request's dataset, found and checked, ready for its manifest: a CIFAR-10 or synthetic folder ({@link CifarDataset})
 * or the user's own images, scanned and split ({@code images.PlannedImages}).
 */
public interface ResolvedDataset {

    /**
     * The classes the model's classifier must have, when the dataset decides it (the user's images: its class map);
     * null for CIFAR-10 and synthetic, which train the model's own head as they always did.
     */
    Integer numClasses();
}
