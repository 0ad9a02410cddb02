package vista.tensor.geometry;

import vista.tensor.Shape;

/**
 * The settings of SASA's local self-attention ({@link LocalSelfAttention}): how many heads share the
 * channels, the side {@code k} of the square neighbourhood, what happens at the image border, and the
 * factor applied to every logit.
 *
 * @param heads      the number of heads; the channels split into {@code heads} groups of
 *                   {@code dh = C / heads} (dh must be even: half meets the row embedding, half the column one)
 * @param kernelSize the neighbourhood side k, odd, so that the centre pixel is its middle
 * @param border     what the neighbours outside the image are ({@link Border})
 * @param logitScale every logit is multiplied by this; 1 in the paper (no {@code 1/sqrt(dh)}), which
 *                   {@link #scaledLogitFactor} gives when scaling is wanted
 */
public record LocalAttentionWindow(int heads, int kernelSize, Border border, double logitScale) {
    /** The image border of a neighbourhood. */
    public enum Border {
        /**
         * Neighbours outside the image are left out of the softmax: they get weight 0 and no gradient.
         * The centre is always inside, so the softmax is never empty. Vista's default.
         */
        MASK,
        /**
         * Neighbours outside the image have zero keys and values (as if x were zero-padded before the
         * bias-free projections): their logit is the positional term alone, they take part in the
         * softmax and add nothing to the output. What public re-implementations do.
         */
        ZERO
    }

    public LocalAttentionWindow {
        if (heads < 1) {
            throw new IllegalArgumentException("local attention: heads must be at least 1, got " + heads);
        }
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("local attention: the neighbourhood size must be odd and positive"
                    + " (the centre pixel is its middle), got " + kernelSize);
        }
        if (border == null) {
            throw new IllegalArgumentException("local attention: the border mode must be MASK or ZERO, got null");
        }
        if (!(logitScale > 0) || Double.isInfinite(logitScale)) {
            throw new IllegalArgumentException("local attention: the logit scale must be positive and finite, got "
                    + logitScale);
        }
    }

    /** {@code 1 / sqrt(dh)}, the factor of scaled dot-product attention, for {@code channels / heads = dh}. */
    public static double scaledLogitFactor(int channels, int heads) {
        return 1 / Math.sqrt((double) channels / heads);
    }

    /** {@code k / 2}: how far a neighbour can be from the centre along each axis. */
    public int radius() {
        return kernelSize / 2;
    }

    /** {@code k * k}, the number of neighbours of a pixel. */
    public int neighbours() {
        return kernelSize * kernelSize;
    }

    /** The channels of one head, {@code dh = channels / heads}, after checking that they split evenly. */
    public int headChannels(int channels) {
        if (channels % heads != 0 || (channels / heads) % 2 != 0) {
            throw new IllegalArgumentException("local attention: " + channels + " channels do not split into "
                    + heads + " heads of an even number of channels; choose channels divisible by 2 x heads");
        }
        return channels / heads;
    }

    /**
     * Checks the operands of a forward pass: q, k and v all {@code (N, C, H, W)} with the same shape, and
     * the relative embeddings both {@code (k, dh / 2)}.
     */
    public void checkOperands(Shape q, Shape k, Shape v, Shape relRow, Shape relColumn) {
        if (q.rank() != 4) {
            throw new IllegalArgumentException("local attention: expected 4-D queries (N, C, H, W), got " + q);
        }
        if (!q.equals(k) || !q.equals(v)) {
            throw new IllegalArgumentException("local attention: queries, keys and values must have the same shape,"
                    + " got " + q + ", " + k + " and " + v);
        }
        Shape embedding = Shape.of(kernelSize, headChannels(q.dim(1)) / 2);
        if (!relRow.equals(embedding) || !relColumn.equals(embedding)) {
            throw new IllegalArgumentException("local attention: the relative embeddings must be (k, dh / 2) = "
                    + embedding + " for " + this + " on " + q + ", got rows " + relRow + " and columns " + relColumn);
        }
    }

    /** The shape of the attention weights for queries of shape {@code q}: {@code (N, heads, k*k, H, W)}. */
    public Shape weightsShape(Shape q) {
        return Shape.of(q.dim(0), heads, neighbours(), q.dim(2), q.dim(3));
    }

    @Override
    public String toString() {
        return "LocalAttention(heads=" + heads + ", k=" + kernelSize + ", border=" + border
                + (logitScale == 1 ? "" : ", scale=" + logitScale) + ")";
    }
}
