package vista.data;

import vista.tensor.Rng;

/**
 * Where a lazily loaded {@link Dataset} gets its samples: decodes sample {@code i} into CHW bytes of the
 * data set's geometry when it is needed (in the {@link DataLoader}'s threads), instead of holding every
 * sample in memory.
 *
 * <p><b>Randomness.</b> {@code rng} is null for the sample's plain form (evaluation, statistics,
 * inspection), or, in a loader, the stream {@code rng.split("augment").split(epoch).split(i).split("load")}
 * for geometry drawn at load time (a random resized crop of the original image). A source must give the
 * same bytes for the same {@code (i, rng seed)}, from any thread, and keep no mutable state.
 */
@FunctionalInterface
public interface SampleSource {

    /** Writes sample {@code i}'s bytes (channels x height x width) into {@code out}. */
    void load(int i, Rng rng, byte[] out) throws DataFileException;
}
