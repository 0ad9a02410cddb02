package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;
import static vista.tensor.kernels.KernelTesting.message;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.kernels.AttentionEntries.Attention;

/**
 * Local self-attention: a 1 x 1 window, the borders, tiles, strided views, float64, errors. Fast against
 * reference, threads and vector widths: {@link OpCatalogueTest} ({@code sasa_attention}).
 */
class LocalSelfAttentionTest {
    private static final OpEntry<Attention> ATTENTION = AttentionEntries.sasaAttention();

    /** Operands q, k, v, both embeddings and an output gradient: the catalogue's inputs, by name. */
    record Operands(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn, Tensor gradOutput) {
        static Operands random(Rng rng, int batch, int channels, int height, int width, LocalAttentionWindow w) {
            Tensor[] t = ATTENTION.inputs(new Attention(w, batch, channels, height, width), rng);
            return new Operands(t[0], t[1], t[2], t[3], t[4], t[5]);
        }

        /** Output, weights, then the gradients of q, k, v, relRow and relCol, all by the fast kernel. */
        Tensor[] fastResults(LocalAttentionWindow w) {
            return ATTENTION.fastResults(new Attention(w, q.dim(0), q.dim(1), q.dim(2), q.dim(3)),
                    new Tensor[] {q, k, v, relRow, relColumn, gradOutput});
        }
    }

    @Test
    void aOneByOneWindowReturnsTheValues() {
        LocalAttentionWindow w = new LocalAttentionWindow(2, 1, Border.MASK, 1);
        Operands o = Operands.random(new Rng(1), 2, 4, 3, 19, w);
        Tensor[] r = o.fastResults(w);
        assertSameFloats(o.v(), r[0], "output");
        assertSameFloats(Tensor.ones(2, 2, 1, 3, 19), r[1], "weights");
        assertSameFloats(Tensor.zeros(2, 4, 3, 19), r[2], "dL/dq");
        assertSameFloats(o.gradOutput(), r[4], "dL/dv");
    }

    /**
     * Under MASK a neighbour outside the image gets a weight of exactly 0; under ZERO it takes part in
     * the softmax. Either way the weights of a pixel sum to 1.
     */
    @Test
    void maskGivesNeighboursOutsideTheImageExactlyZeroWeight() {
        int height = 4;
        int width = 19;
        int kernelSize = 5;
        for (Border border : Border.values()) {
            LocalAttentionWindow w = new LocalAttentionWindow(2, kernelSize, border, 1);
            Operands o = Operands.random(new Rng(2), 1, 4, height, width, w);
            Tensor weights = LocalSelfAttentionFast.forward(o.q(), o.k(), o.v(), o.relRow(), o.relColumn(), w)
                    .weights();
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < height; i++) {
                    for (int j = 0; j < width; j++) {
                        double sum = 0;
                        for (int m = 0; m < kernelSize * kernelSize; m++) {
                            double p = weights.get(0, n, m, i, j);
                            int y = i + m / kernelSize - kernelSize / 2;
                            int z = j + m % kernelSize - kernelSize / 2;
                            boolean outside = y < 0 || y >= height || z < 0 || z >= width;
                            String where = border + ", pixel (" + i + ", " + j + "), neighbour " + m;
                            if (outside && border == Border.MASK) {
                                assertEquals(0.0, p, where);
                            } else {
                                assertTrue(p > 0, where + ": " + p);
                            }
                            sum += p;
                        }
                        assertEquals(1, sum, 1e-5, border + ", pixel (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void tilesDependOnTheShapeOnly() {
        assertEquals(1, LocalSelfAttentionFast.rowBlocks(64, 56, 3), "64 images: one tile each");
        assertEquals(4, LocalSelfAttentionFast.rowBlocks(1, 56, 3), "blocks of at least 4r = 12 rows");
        assertEquals(2, LocalSelfAttentionFast.rowBlocks(8, 56, 3), "enough blocks for 16 tiles");
        assertEquals(1, LocalSelfAttentionFast.rowBlocks(1, 11, 3), "too few rows to cut");
        assertEquals(14, LocalSelfAttentionFast.rowBlocks(1, 56, 0), "k = 1: 16 blocks wanted, of 4 rows");
        assertEquals(4, LocalSelfAttentionFast.rowBlocks(64, 224, 3), "at most 64 rows per block");
        assertEquals(0, LocalSelfAttentionFast.rowBlocks(8, 0, 3), "no rows");
        assertEquals(2, LocalSelfAttentionFast.rowBlocks(4, 17, 2), "the catalogue's thread problems: two blocks of"
                + " rows per image");
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        LocalAttentionWindow w = new LocalAttentionWindow(2, 3, Border.ZERO, 1);
        Operands o = Operands.random(new Rng(5), 2, 8, 5, 7, w);
        Operands views = new Operands(Tensor.randn(new Rng(6), 3, 8, 5, 7).slice(0, 1, 3),
                Tensor.randn(new Rng(7), 2, 8, 5, 10).slice(3, 2, 9),
                o.v().permute(1, 0, 2, 3).contiguous().permute(1, 0, 2, 3),
                o.relRow().transpose(0, 1).contiguous().transpose(0, 1), o.relColumn(),
                Tensor.randn(new Rng(8), 8, 5, 7, 2).permute(3, 0, 1, 2));
        Operands copies = new Operands(views.q().contiguous(), views.k().contiguous(), views.v().contiguous(),
                views.relRow().contiguous(), views.relColumn(), views.gradOutput().contiguous());
        Tensor[] expected = copies.fastResults(w);
        Tensor[] actual = views.fastResults(w);
        for (int i = 0; i < expected.length; i++) {
            assertSameFloats(expected[i], actual[i], "result " + i + " of strided views");
        }
        Tensor weights = LocalSelfAttentionFast.forward(copies.q(), copies.k(), copies.v(), copies.relRow(),
                copies.relColumn(), w).weights();
        for (Tensor view : new Tensor[] {Tensor.zeros(2, 2, 9, 5, 9).slice(4, 1, 8),
            Tensor.zeros(3, 2, 9, 5, 7).slice(0, 1, 3)}) {
            view.copyFrom(weights);
            LocalSelfAttentionKernels.Gradients fromView = LocalSelfAttentionFast.backward(copies.gradOutput(), copies.q(),
                    copies.k(), copies.v(), copies.relRow(), copies.relColumn(), view, w);
            assertSameFloats(expected[2], fromView.q(), "dL/dq from a view of the weights");
            assertSameFloats(expected[4], fromView.v(), "dL/dv from a view of the weights");
        }
    }

    @Test
    void float64RunsTheReference() {
        LocalAttentionWindow w = new LocalAttentionWindow(1, 3, Border.MASK, 1);
        Operands o = Operands.random(new Rng(9), 1, 2, 4, 5, w);
        Tensor q = o.q().to(DType.FLOAT64);
        LocalSelfAttentionKernels.Forward f = LocalSelfAttentionKernels.forward(q, o.k(), o.v(), o.relRow(), o.relColumn(), w);
        assertEquals(DType.FLOAT64, f.output().dtype());
        KernelTesting.assertSameBits(LocalSelfAttentionReference.forward(q, o.k().to(DType.FLOAT64),
                o.v().to(DType.FLOAT64), o.relRow().to(DType.FLOAT64), o.relColumn().to(DType.FLOAT64), w).output(),
                f.output(), "float64 output");
        Tensor fast = LocalSelfAttentionKernels.forward(o.q(), o.k(), o.v(), o.relRow(), o.relColumn(), w).output();
        assertSameFloats(LocalSelfAttentionFast.forward(o.q(), o.k(), o.v(), o.relRow(), o.relColumn(), w).output(),
                fast, "float32 goes to the fast kernel");
    }

    @Test
    void rejectsBadShapesWithSentences() {
        LocalAttentionWindow w = new LocalAttentionWindow(2, 3, Border.MASK, 1);
        Tensor x = Tensor.zeros(1, 8, 5, 5);
        Tensor rel = Tensor.zeros(3, 2);
        assertEquals("local attention: expected 4-D queries (N, C, H, W), got [8, 5, 5]",
                message(() -> LocalSelfAttentionKernels.forward(Tensor.zeros(8, 5, 5), x, x, rel, rel, w)));
        assertEquals("local attention: queries, keys and values must have the same shape, got [1, 8, 5, 5],"
                + " [1, 8, 5, 4] and [1, 8, 5, 5]",
                message(() -> LocalSelfAttentionKernels.forward(x, Tensor.zeros(1, 8, 5, 4), x, rel, rel, w)));
        assertEquals("local attention: the relative embeddings must be (k, dh / 2) = [3, 2] for"
                + " LocalAttention(heads=2, k=3, border=MASK) on [1, 8, 5, 5], got rows [3, 4] and columns [3, 2]",
                message(() -> LocalSelfAttentionKernels.forward(x, x, x, Tensor.zeros(3, 4), rel, w)));
        assertEquals("local attention: 6 channels do not split into 2 heads of an even number of channels;"
                + " choose channels divisible by 2 x heads",
                message(() -> LocalSelfAttentionKernels.forward(Tensor.zeros(1, 6, 5, 5), Tensor.zeros(1, 6, 5, 5),
                        Tensor.zeros(1, 6, 5, 5), Tensor.zeros(3, 1), Tensor.zeros(3, 1), w)));
        Tensor weights = Tensor.zeros(1, 2, 9, 5, 5);
        assertEquals("LocalAttention(heads=2, k=3, border=MASK): expected an output gradient of shape"
                + " [1, 8, 5, 5], got [1, 8, 5, 6]",
                message(() -> LocalSelfAttentionKernels.backward(Tensor.zeros(1, 8, 5, 6), x, x, x, rel, rel, weights, w)));
        assertEquals("LocalAttention(heads=2, k=3, border=MASK): expected attention weights of shape"
                + " [1, 2, 9, 5, 5], got [1, 2, 25, 5, 5]",
                message(() -> LocalSelfAttentionKernels.backward(x, x, x, x, rel, rel, Tensor.zeros(1, 2, 25, 5, 5), w)));
    }

    @Test
    void rejectsBadWindowsWithSentences() {
        assertEquals("local attention: the neighbourhood size must be odd and positive (the centre pixel is its"
                + " middle), got 4", message(() -> new LocalAttentionWindow(1, 4, Border.MASK, 1)));
        assertEquals("local attention: heads must be at least 1, got 0",
                message(() -> new LocalAttentionWindow(0, 3, Border.MASK, 1)));
        assertEquals("local attention: the border mode must be MASK or ZERO, got null",
                message(() -> new LocalAttentionWindow(1, 3, null, 1)));
        assertEquals("local attention: the logit scale must be positive and finite, got 0.0",
                message(() -> new LocalAttentionWindow(1, 3, Border.ZERO, 0)));
    }
}
