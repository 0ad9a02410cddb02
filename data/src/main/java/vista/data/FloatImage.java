package vista.data;

/**
 * A window onto one image inside a larger float array, as transforms see it: {@code channels x height x
 * width} floats in CHW order (channel planes, each row-major) starting at {@code offset}. Inside a batch,
 * sample {@code s} is the window at {@code s * channels * height * width} of the batch's array.
 */
public record FloatImage(float[] data, int offset, int channels, int height, int width) {

    public FloatImage {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("FloatImage: expected positive channels, height and width, got "
                    + channels + " x " + height + " x " + width);
        }
        if (offset < 0 || (long) offset + (long) channels * height * width > data.length) {
            throw new IllegalArgumentException("FloatImage: " + channels + " x " + height + " x " + width
                    + " floats from offset " + offset + " do not fit in an array of " + data.length);
        }
    }

    /** An image over a fresh array of its own. */
    public static FloatImage of(float[] chw, int channels, int height, int width) {
        return new FloatImage(chw, 0, channels, height, width);
    }

    /** Number of floats: channels x height x width. */
    public int size() {
        return channels * height * width;
    }

    /** Position of (channel, row, column) in {@link #data()}. */
    public int index(int c, int y, int x) {
        return offset + (c * height + y) * width + x;
    }

    public float get(int c, int y, int x) {
        return data[index(c, y, x)];
    }

    public void set(int c, int y, int x, float value) {
        data[index(c, y, x)] = value;
    }
}
