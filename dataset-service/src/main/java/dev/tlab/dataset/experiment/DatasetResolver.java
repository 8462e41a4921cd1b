package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.dataset.images.ImageSources;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.source.ResolvedDataset;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The dataset a request names: CIFAR-10 or synthetic from {@link CifarSources}, the user's images from
 * {@link ImageSources}.
 */
@ApplicationScoped
public class DatasetResolver {
    private final CifarSources cifar;
    private final ImageSources images;

    public DatasetResolver(CifarSources cifar, ImageSources images) {
        this.cifar = cifar;
        this.images = images;
    }

    /** Found and checked; for images also scanned (once per content) and split for the request. */
    public ResolvedDataset resolve(ExperimentRequested request) {
        return request.dataset().images()
                ? images.plan(request.dataset(), request.subset())
                : cifar.resolve(request.dataset());
    }
}
