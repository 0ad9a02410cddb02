package vista.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * Cuts a {@link Dataset} into batches, epoch after epoch: seeded shuffling, transforms, float32 batch
 * tensors of shape (B, C, H, W), and background prefetch.
 *
 * <p><b>Usage.</b>
 * <pre>{@code
 * try (DataLoader train = DataLoader.builder()
 *         .setDataset(trainSet).setBatchSize(128).setRng(runRng.split("data"))
 *         .optTransforms(new RandomCrop(4), new RandomHorizontalFlip(), Normalize.computedFrom(trainSet))
 *         .build()) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         for (Batch batch : train.epoch(epoch)) {
 *             // batch.images(): (B, C, H, W) float32; batch.labels(): int[B]
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Epochs are numbered from 0. The order of epoch {@code e} is {@link Shuffle#permutation}
 * of the data set's size drawn from {@code rng.split("shuffle").split(e)}, a fresh Fisher-Yates shuffle
 * of {@code 0 .. n-1} that depends only on the seed and {@code e} (not on earlier epochs, so any epoch can
 * be replayed on its own); without shuffling it is {@code 0 .. n-1}. {@link #sampleOrder(int)} returns it.
 * Consecutive runs of {@code batchSize} indices of that order form the batches. Every sample appears
 * exactly once per epoch; the last batch is smaller when the size is not a multiple of the batch size,
 * unless {@code optDropLast(true)} asks to drop it (then its samples are skipped that epoch, and
 * {@code sampleOrder} leaves them out).
 *
 * <p><b>Pixels and transforms.</b> Sample {@code i} becomes floats {@code byte / 255} (a lazy data set
 * loads it here, in the loader's threads, drawing any load-time geometry from
 * {@code rng.split("augment").split(epoch).split(i).split("load")}), then the transforms
 * run in the order given; transform {@code k} draws its random numbers from
 * {@code rng.split("augment").split(epoch).split(i).split(k)}, a stream that depends only on (seed,
 * epoch, sample index, position of the transform). Samples of a batch are prepared in parallel
 * ({@code Tiles.forEach}, one tile per sample, each writing its own slice of the batch), so the batch's
 * bits are the same for any thread count, with or without prefetch.
 *
 * <p><b>Prefetch.</b> With a depth {@code d > 0} (default {@value #DEFAULT_PREFETCH}), iterating an epoch
 * starts one daemon thread that prepares the epoch's batches in order into a queue of capacity {@code d}:
 * at most {@code d} finished batches wait while the thread works on the next one. With {@code d = 0}
 * batches are prepared in the caller's thread when asked for. A loader runs at most one epoch iteration
 * at a time: starting another, or {@link #close()}, stops the previous one and its thread, and a later
 * {@code next()} on the stopped iterator throws rather than end the epoch early. If preparing a batch fails, the consumer's
 * {@code next()} throws that same exception (an {@link IllegalStateException} naming the sample, batch
 * and epoch, whose cause is the transform's exception), at the batch where it happened; batches before
 * it are delivered normally, and the pass ends there ({@code hasNext()} turns false). The same happens
 * without prefetch.
 */
public final class DataLoader implements AutoCloseable {
    /** Batches prepared ahead by default. */
    public static final int DEFAULT_PREFETCH = 2;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final List<Transform> transforms;
    private final int prefetch;
    private final Rng shuffleRng;
    private final Rng augmentRng;

    private Prefetcher running;
    private int passes;
    private boolean closed;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.transforms = b.transforms;
        this.prefetch = b.prefetch;
        this.shuffleRng = b.rng.split("shuffle");
        this.augmentRng = b.rng.split("augment");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches in every epoch: size / batchSize, rounded up unless the last partial batch is dropped. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples in every epoch: the data set's size, less the dropped partial batch if any. */
    public int samplesPerEpoch() {
        return dropLast ? batchesPerEpoch() * batchSize : dataset.size();
    }

    /** The data set indices that epoch {@code epoch} visits, in the order it visits them. */
    public int[] sampleOrder(int epoch) {
        checkEpoch(epoch);
        int n = dataset.size();
        int[] order = shuffle ? Shuffle.permutation(n, shuffleRng.split(epoch)) : Shuffle.identity(n);
        return order.length == samplesPerEpoch() ? order : Arrays.copyOf(order, samplesPerEpoch());
    }

    /**
     * The seed of epoch {@code epoch}'s shuffle ({@code rng.split("shuffle").split(epoch)}), for a run's
     * provenance; unused if the loader does not shuffle.
     */
    public long shuffleSeed(int epoch) {
        checkEpoch(epoch);
        return shuffleRng.split(epoch).seed();
    }

    /**
     * The batches of epoch {@code epoch}, in order. Each call of {@code iterator()} starts a new pass
     * (and, with prefetch, its thread), stopping any pass this loader was running.
     */
    public Iterable<Batch> epoch(int epoch) {
        checkEpoch(epoch);
        return () -> start(epoch);
    }

    /** Batch {@code number} of epoch {@code epoch}, prepared in the caller's thread (for random access). */
    public Batch batch(int epoch, int number) {
        if (number < 0 || number >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("DataLoader: batch " + number + " is outside 0.."
                    + (batchesPerEpoch() - 1) + " (" + batchesPerEpoch() + " batches per epoch)");
        }
        return assemble(epoch, number, sampleOrder(epoch));
    }

    /** Stops the prefetch thread, if one runs, and waits for it to end. The loader cannot be used after. */
    @Override
    public synchronized void close() {
        closed = true;
        stopRunning();
    }

    private synchronized Iterator<Batch> start(int epoch) {
        if (closed) {
            throw new IllegalStateException("DataLoader: the loader is closed");
        }
        stopRunning();
        int pass = ++passes;
        int[] order = sampleOrder(epoch);
        if (prefetch == 0) {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < batchesPerEpoch();
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only "
                                + batchesPerEpoch() + " batches");
                    }
                    checkStillCurrent(pass, next);
                    int number = next;
                    next = batchesPerEpoch(); // a failure below ends the pass, as it does with prefetch
                    Batch batch = assemble(epoch, number, order);
                    next = number + 1;
                    return batch;
                }
            };
        }
        running = new Prefetcher(n -> assemble(epoch, n, order), batchesPerEpoch(), prefetch,
                "vista-data-prefetch (epoch " + epoch + ")");
        running.start();
        return running;
    }

    private synchronized void checkStillCurrent(int pass, int delivered) {
        if (closed || pass != passes) {
            throw new IllegalStateException("DataLoader: this pass over the epoch was stopped after " + delivered
                    + " of " + batchesPerEpoch() + " batches, because the loader was closed or another pass started");
        }
    }

    private void stopRunning() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    /** Batch {@code number} of an epoch whose order is {@code order}. */
    private Batch assemble(int epoch, int number, int[] order) {
        int from = number * batchSize;
        int[] indices = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        int b = indices.length;
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        int sampleSize = dataset.sampleSize();
        float[] pixels = new float[Math.multiplyExact(b, sampleSize)];
        int[] labels = new int[b];
        Rng epochRng = augmentRng.split(epoch);
        InOrder.Failure failure = InOrder.forEach(b, s -> {
            int index = indices[s];
            labels[s] = dataset.label(index);
            Rng sampleRng = epochRng.split(index);
            dataset.copyAsFloats(index, sampleRng.split("load"), pixels, s * sampleSize);
            FloatImage image = new FloatImage(pixels, s * sampleSize, c, h, w);
            for (int k = 0; k < transforms.size(); k++) {
                transforms.get(k).apply(image, sampleRng.split(k));
            }
        });
        if (failure != null) {
            int s = failure.item();
            throw new IllegalStateException("DataLoader: preparing sample " + indices[s] + " (position " + s
                    + " of batch " + number + ", epoch " + epoch + ") failed: " + failure.cause(), failure.cause());
        }
        Tensor images = Tensor.of(new Storage.Floats(pixels), Shape.of(b, c, h, w));
        return new Batch(images, labels, indices, epoch, number);
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epochs are numbered from 0, got " + epoch);
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset.name() + ", batch " + batchSize + ", " + batchesPerEpoch()
                + " batches per epoch, shuffle " + shuffle + ", dropLast " + dropLast + ", prefetch " + prefetch
                + ", transforms " + transforms + ")";
    }

    /** Settings of a {@link DataLoader}: {@code setX} for the required ones, {@code optX} for the others. */
    public static final class Builder {
        private Dataset dataset;
        private int batchSize;
        private Rng rng;
        private boolean shuffle = true;
        private boolean dropLast;
        private List<Transform> transforms = List.of();
        private int prefetch = DEFAULT_PREFETCH;

        private Builder() {
        }

        /** The data set to iterate (required). */
        public Builder setDataset(Dataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Samples per batch, at least 1 (required). */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The stream the loader derives its randomness from (required): only its seed matters; the loader
         * takes {@code rng.split("shuffle")} and {@code rng.split("augment")}.
         */
        public Builder setRng(Rng rng) {
            this.rng = rng;
            return this;
        }

        /** Shorthand for {@code setRng(new Rng(seed))}. */
        public Builder setSeed(long seed) {
            return setRng(new Rng(seed));
        }

        /** Whether to shuffle each epoch (default true; use false for evaluation). */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to drop the last batch of an epoch when it is smaller than the batch size (default false). */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Transforms applied to every sample, in this order (default none). */
        public Builder optTransforms(Transform... transforms) {
            this.transforms = List.of(transforms);
            return this;
        }

        /** Transforms applied to every sample, in this order (default none). */
        public Builder optTransforms(List<Transform> transforms) {
            this.transforms = List.copyOf(transforms);
            return this;
        }

        /** Batches prepared ahead on a background thread (default {@value DataLoader#DEFAULT_PREFETCH}; 0: none). */
        public Builder optPrefetch(int depth) {
            this.prefetch = depth;
            return this;
        }

        public DataLoader build() {
            if (dataset == null) {
                throw new IllegalStateException("DataLoader: setDataset is required");
            }
            if (rng == null) {
                throw new IllegalStateException("DataLoader: setRng (or setSeed) is required, so that shuffling"
                        + " and augmentation are reproducible");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
            }
            if (prefetch < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch depth must be >= 0, got " + prefetch);
            }
            if (dropLast && batchSize > dataset.size()) {
                throw new IllegalArgumentException("DataLoader: dropping the last partial batch of " + dataset.name()
                        + " (" + dataset.size() + " samples) with batch size " + batchSize + " would leave no batch");
            }
            return new DataLoader(this);
        }
    }
}
