package dev.tlab.trainer.engine.data;

import dev.tlab.datafiles.CifarRecords;
import java.util.SplittableRandom;

/**
 * The images of one pass and their labels, as the data threads read them: CIFAR-10 records ({@link #of}) or the user's
 * own image files ({@link ImageFiles}). Implementations are safe to read from several threads at once.
 */
public interface LabelledImages {

    int size();

    int label(int index);

    /** Largest label + 1: the model's classifier needs at least this many outputs. */
    int labelBound();

    /**
     * The dataset's number of classes when it has a class map (the user's own images: the model's classifier is given
     * exactly this many outputs), or null (CIFAR-10 records: the model's classifier is used as it is).
     */
    Integer classes();

    /** The notebook's train transform of image {@code index} into out[offset .. offset + 3*S*S). */
    void train(int index, ImageTransforms transforms, SplittableRandom rng, float[] out, int offset);

    /** The notebook's test transform of image {@code index} into out[offset .. offset + 3*S*S). */
    void test(int index, ImageTransforms transforms, float[] out, int offset);

    /** CIFAR-10 records, transformed as they always were. */
    static LabelledImages of(CifarRecords records) {
        return new LabelledImages() {
            @Override
            public int size() {
                return records.size();
            }

            @Override
            public int label(int index) {
                return records.label(index);
            }

            @Override
            public int labelBound() {
                return records.labelBound();
            }

            @Override
            public Integer classes() {
                return null;
            }

            @Override
            public void train(int index, ImageTransforms transforms, SplittableRandom rng, float[] out, int offset) {
                transforms.train(records.image(index), rng, out, offset);
            }

            @Override
            public void test(int index, ImageTransforms transforms, float[] out, int offset) {
                transforms.test(records.image(index), out, offset);
            }
        };
    }
}
