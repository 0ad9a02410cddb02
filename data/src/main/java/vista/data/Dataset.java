package vista.data;

import java.util.List;
import vista.tensor.Rng;

/**
 * A labelled image data set held in memory: {@code size()} images of {@code channels x height x width}
 * pixels, each with a class label in {@code [0, numClasses())}.
 *
 * <p><b>Storage.</b> Pixels stay compact as unsigned bytes (0 to 255) in one array, sample after
 * sample, each sample in CHW order (channel planes, each plane row-major), which is also the layout of
 * a batch tensor. They become floats only when a batch is assembled ({@link #copyAsFloats}: value / 255,
 * so in [0, 1]). One array holds at most 2^31 - 9 bytes: about 2.7 million 28x28 grey images, 700,000
 * 32x32 RGB images, or 14,000 RGB images of 224x224.
 *
 * <p><b>Lazy data sets.</b> {@link #lazy} makes a data set whose samples a {@link SampleSource} decodes
 * when they are asked for (large image folders): every accessor loads the sample anew, and a loader
 * passes its per-sample stream ({@link #copyAsFloats(int, Rng, float[], int)}) for geometry drawn at load
 * time. A source that fails makes the accessor throw an {@link IllegalStateException} whose message is the
 * source's (it names the file).
 *
 * <p>Immutable once made (the constructor takes ownership of the arrays), so any number of threads may
 * read it at once.
 */
public final class Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final SampleSource source;

    /**
     * A data set over {@code pixels} (CHW bytes of sample 0, then sample 1, ...) and {@code labels}.
     *
     * @param name       a short description for messages and provenance, e.g. "Fashion-MNIST train"
     * @param classNames the name of each class; labels must lie in {@code [0, classNames.size())}
     * @throws IllegalArgumentException if the sizes disagree, a label is out of range or there is no sample
     */
    public Dataset(String name, int channels, int height, int width, byte[] pixels, int[] labels,
            List<String> classNames) {
        this(name, channels, height, width, pixels, labels, classNames, null);
    }

    /**
     * A data set of {@code labels.length} samples that {@code source} loads when asked for.
     *
     * @throws IllegalArgumentException if a size is not positive, a label is out of range or there is no sample
     */
    public static Dataset lazy(String name, int channels, int height, int width, int[] labels, List<String> classNames,
            SampleSource source) {
        return new Dataset(name, channels, height, width, null, labels, classNames, source);
    }

    private Dataset(String name, int channels, int height, int width, byte[] pixels, int[] labels,
            List<String> classNames, SampleSource source) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": images must have at least 1 channel, row and column, got "
                    + channels + " x " + height + " x " + width);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException(name + ": a data set needs at least one sample");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": a data set needs at least one class name");
        }
        long expected = (long) labels.length * channels * height * width;
        if (source == null && pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + labels.length + " samples of " + channels + " x "
                    + height + " x " + width + " need " + expected + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (classNames.size() - 1) + " (" + classNames.size() + " classes)");
            }
        }
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    public String name() {
        return name;
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Pixels per sample: channels x height x width. */
    public int sampleSize() {
        return channels * height * width;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The class names, indexed by label (unmodifiable). */
    public List<String> classNames() {
        return classNames;
    }

    /** The label of sample {@code i}. */
    public int label(int i) {
        checkIndex(i);
        return labels[i];
    }

    /** The pixel of sample {@code i} at channel {@code c}, row {@code y}, column {@code x}, 0 to 255. */
    public int pixel(int i, int c, int y, int x) {
        checkIndex(i);
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException(name + ": pixel (" + c + ", " + y + ", " + x
                    + ") is outside " + channels + " x " + height + " x " + width);
        }
        return source == null ? pixels[i * sampleSize() + (c * height + y) * width + x] & 0xFF
                : pixels(i)[(c * height + y) * width + x] & 0xFF;
    }

    /** A copy of the CHW pixel bytes of sample {@code i} (unsigned: mask with 0xFF). */
    public byte[] pixels(int i) {
        return loaded(i, null);
    }

    /** Writes sample {@code i} as floats {@code value / 255} (in [0, 1]) into {@code out} from {@code offset}. */
    public void copyAsFloats(int i, float[] out, int offset) {
        copyAsFloats(i, null, out, offset);
    }

    /**
     * As {@link #copyAsFloats(int, float[], int)}, a lazy data set's source drawing any load-time geometry
     * from {@code rng} (see {@link SampleSource}); an in-memory data set ignores it.
     */
    public void copyAsFloats(int i, Rng rng, float[] out, int offset) {
        checkIndex(i);
        int n = sampleSize();
        byte[] bytes = source == null ? pixels : loaded(i, rng);
        int from = source == null ? i * n : 0;
        for (int k = 0; k < n; k++) {
            out[offset + k] = (bytes[from + k] & 0xFF) / 255f;
        }
    }

    /** Whether samples are loaded when asked for rather than held in memory. */
    public boolean isLazy() {
        return source != null;
    }

    /**
     * This data set without load-time randomness: a lazy one whose source always gets a null stream (each
     * sample's plain form); an in-memory one is returned as it is.
     */
    public Dataset plain() {
        if (source == null) {
            return this;
        }
        return lazy(name, channels, height, width, labels, classNames, (i, rng, out) -> source.load(i, null, out));
    }

    /** A copy of sample {@code i}'s bytes, loaded with {@code rng} if the data set is lazy. */
    private byte[] loaded(int i, Rng rng) {
        checkIndex(i);
        byte[] out = new byte[sampleSize()];
        if (source == null) {
            System.arraycopy(pixels, i * sampleSize(), out, 0, out.length);
            return out;
        }
        try {
            source.load(i, rng, out);
        } catch (DataFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /** A new data set of the samples {@code indices}, in that order (pixels are copied; a lazy one stays lazy). */
    public Dataset subset(int... indices) {
        if (source != null) {
            int[] l = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                checkIndex(indices[k]);
                l[k] = labels[indices[k]];
            }
            int[] chosen = indices.clone();
            return lazy(name + " (subset of " + indices.length + ")", channels, height, width, l, classNames,
                    (k, rng, out) -> source.load(chosen[k], rng, out));
        }
        int n = sampleSize();
        byte[] p = new byte[Math.multiplyExact(indices.length, n)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            checkIndex(indices[k]);
            System.arraycopy(pixels, indices[k] * n, p, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new Dataset(name + " (subset of " + indices.length + ")", channels, height, width, p, l, classNames);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException(name + ": sample " + i + " is outside 0.." + (labels.length - 1));
        }
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images of " + channels + " x " + height + " x " + width + ", "
                + numClasses() + " classes";
    }
}
