package vista.data;

import vista.tensor.Rng;

/**
 * Changes one image in place while a batch is assembled (augmentation or normalisation). Transforms keep
 * the image's size, so every sample of a batch has the data set's geometry.
 *
 * <p><b>Randomness.</b> A transform draws random numbers only from the {@code rng} it is given. The
 * {@link DataLoader} derives that stream from the run's seed, the epoch, the sample's index in the data
 * set and the transform's position in the list (see {@link DataLoader}), never from the thread or the
 * order in which samples are prepared, so the same seed gives the same augmented pixels with or without
 * prefetch and with any number of threads. Implementations must not keep mutable state between calls:
 * they are called from several threads at once.
 */
@FunctionalInterface
public interface Transform {

    /** Transforms {@code image} in place, drawing any randomness from {@code rng}. */
    void apply(FloatImage image, Rng rng);
}
