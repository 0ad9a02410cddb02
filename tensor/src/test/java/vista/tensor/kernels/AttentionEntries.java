package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.SASA_ATTENTION;

import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for SASA's local self-attention. */
final class AttentionEntries {
    private AttentionEntries() {
    }

    /**
     * Tolerance of the float32 fast local attention against the double reference, relative to the
     * largest magnitude of the result compared: logits, softmax and sums of at most 49 terms round a few
     * times (the worst error seen over these cases is about 2^-20.5 of that magnitude); 2^-17 leaves room
     * and still catches one wrong or missing neighbour, whose share is of the order of 1/k^2.
     */
    static final double ATTENTION_TOLERANCE = 0x1p-17;

    /** One attention problem: queries, keys and values of shape (N, C, H, W) and a window. */
    record Attention(LocalAttentionWindow window, int batch, int channels, int height, int width) {
        @Override
        public String toString() {
            return window + " on [" + batch + ", " + channels + ", " + height + ", " + width + "]";
        }
    }

    /**
     * Inputs q, k, v, the row and column embeddings and an output gradient; results the output and the
     * attention weights, then the gradients of q, k, v and both embeddings. Both backward kernels get the
     * reference's weights.
     */
    static OpEntry<Attention> sasaAttention() {
        OpEntry<Attention> entry = new OpEntry<Attention>(SASA_ATTENTION, "output", "weights", "dL/dq", "dL/dk",
                "dL/dv", "dL/drelRow", "dL/drelCol")
                .inputs((a, rng) -> {
                    int k = a.window().kernelSize();
                    int half = a.window().headChannels(a.channels()) / 2;
                    int[] dims = {a.batch(), a.channels(), a.height(), a.width()};
                    return new Tensor[] {Tensor.randn(rng, dims), Tensor.randn(rng, dims), Tensor.randn(rng, dims),
                        Tensor.randn(rng, k, half), Tensor.randn(rng, k, half), Tensor.randn(rng, dims)};
                })
                .reference((a, x) -> attention(LocalSelfAttentionReference.forward(x[0], x[1], x[2], x[3], x[4],
                        a.window())), (a, x, y) -> attention(LocalSelfAttentionReference.backward(x[5], x[0], x[1],
                        x[2], x[3], x[4], y[1], a.window())))
                .fast((a, x) -> attention(LocalSelfAttentionFast.forward(x[0], x[1], x[2], x[3], x[4], a.window())),
                        (a, x, y) -> attention(LocalSelfAttentionFast.backward(x[5], x[0], x[1], x[2], x[3], x[4], y[1],
                                a.window())))
                .agreement(Agreement.within(0, ATTENTION_TOLERANCE, Float.MIN_NORMAL));
        attention(entry, "k=1: only the centre", 2, 4, 1, 5, 6, 1, Border.MASK, false);
        attention(entry, "3x3, batch 1, dh 2", 1, 4, 2, 6, 7, 3, Border.MASK, false);
        attention(entry, "3x3, zero border, dh 4", 2, 8, 2, 7, 9, 3, Border.ZERO, true);
        attention(entry, "5x5, dh 8", 2, 16, 2, 9, 11, 5, Border.MASK, true);
        attention(entry, "5x5, zero border, dh 8", 2, 16, 2, 9, 11, 5, Border.ZERO, false);
        attention(entry, "7x7, dh 6", 1, 12, 2, 10, 13, 7, Border.MASK, false);
        attention(entry, "7x7, zero border, four heads of 6", 2, 24, 4, 8, 19, 7, Border.ZERO, true);
        attention(entry, "2x9 image, 5x5 window, four heads of 2", 2, 8, 4, 2, 9, 5, Border.MASK, false);
        attention(entry, "2x9 image, 5x5 window, zero border", 1, 8, 4, 2, 9, 5, Border.ZERO, true);
        attention(entry, "5x3 image, 7x7 window", 1, 8, 1, 5, 3, 7, Border.MASK, true);
        attention(entry, "5x3 image, 7x7 window, zero border", 2, 8, 1, 5, 3, 7, Border.ZERO, false);
        attention(entry, "1x1 image", 2, 4, 2, 1, 1, 3, Border.MASK, false);
        attention(entry, "1x1 image, zero border", 1, 4, 2, 1, 1, 3, Border.ZERO, false);
        attention(entry, "rows of 37 columns", 1, 8, 2, 3, 37, 3, Border.MASK, true);
        attention(entry, "rows of 16 columns, zero border", 1, 4, 1, 4, 16, 5, Border.ZERO, false);
        attention(entry, "rows of 17 columns, 7x7", 2, 6, 1, 5, 17, 7, Border.MASK, false);
        attention(entry, "images cut into three blocks of rows", 2, 8, 1, 13, 20, 3, Border.MASK, false);
        attention(entry, "images cut into two blocks of rows, zero border", 1, 8, 2, 21, 18, 5, Border.ZERO, true);
        attention(entry, "images of 66 rows, cut in two", 8, 4, 2, 66, 2, 3, Border.MASK, false);
        // Two blocks of rows per image and two images: many tiles (see LocalSelfAttentionTest).
        for (Border border : Border.values()) {
            entry.threadProblem("blocks of rows, " + border,
                    new Attention(new LocalAttentionWindow(2, 5, border, 0.5), 2, 12, 17, 21));
        }
        return entry.widthProblem("3x3 on rows of 13", new Attention(new LocalAttentionWindow(1, 3, Border.MASK, 1), 1,
                4, 9, 13))
                .widthProblem("5x5, zero border, on rows of 22",
                        new Attention(new LocalAttentionWindow(1, 5, Border.ZERO, 0.5), 1, 4, 5, 22));
    }

    private static void attention(OpEntry<Attention> entry, String name, int batch, int channels, int heads, int height,
            int width, int kernelSize, Border border, boolean scaled) {
        double scale = scaled ? LocalAttentionWindow.scaledLogitFactor(channels, heads) : 1;
        Attention a = new Attention(new LocalAttentionWindow(heads, kernelSize, border, scale), batch, channels, height,
                width);
        entry.labelledProblem(name, a);
    }

    private static Tensor[] attention(LocalSelfAttentionKernels.Forward f) {
        return new Tensor[] {f.output(), f.weights()};
    }

    private static Tensor[] attention(LocalSelfAttentionKernels.Gradients g) {
        return new Tensor[] {g.q(), g.k(), g.v(), g.relRow(), g.relColumn()};
    }
}
