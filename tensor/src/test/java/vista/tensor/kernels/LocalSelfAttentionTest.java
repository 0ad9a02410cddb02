package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.runtime.Parallel;

/** Local self-attention: fast against reference on awkward shapes, the borders, determinism, errors. */
class LocalSelfAttentionTest {
    /**
     * Tolerance of the float32 fast kernel against the double reference, relative to the largest
     * magnitude of the result compared: logits, softmax and sums of at most 49 terms round a few times
     * (the worst error seen over these cases is about 2^-20.5 of that magnitude); 2^-17 leaves room and
     * still catches one wrong or missing neighbour, whose share is of the order of 1/k^2.
     */
    private static final double RELATIVE_TOLERANCE = 0x1p-17;

    /** One attention problem: queries, keys and values of shape (N, C, H, W) and a window. */
    record Case(String name, int batch, int channels, int height, int width, LocalAttentionWindow window) {
        @Override
        public String toString() {
            return name + ": " + window + " on [" + batch + ", " + channels + ", " + height + ", " + width + "]";
        }
    }

    /** Random operands of a case: q, k, v, both embeddings and an output gradient. */
    record Operands(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn, Tensor gradOutput) {
        static Operands random(Rng rng, int batch, int channels, int height, int width, LocalAttentionWindow w) {
            int half = w.headChannels(channels) / 2;
            return new Operands(Tensor.randn(rng, batch, channels, height, width),
                    Tensor.randn(rng, batch, channels, height, width),
                    Tensor.randn(rng, batch, channels, height, width),
                    Tensor.randn(rng, w.kernelSize(), half), Tensor.randn(rng, w.kernelSize(), half),
                    Tensor.randn(rng, batch, channels, height, width));
        }

        /** Output, weights, then the gradients of q, k, v, relRow and relCol, all by the fast kernel. */
        Tensor[] fastResults(LocalAttentionWindow w) {
            LocalSelfAttentionKernels.Forward f = LocalSelfAttentionFast.forward(q, k, v, relRow, relColumn, w);
            LocalSelfAttentionKernels.Gradients g = LocalSelfAttentionFast.backward(gradOutput, q, k, v, relRow, relColumn,
                    f.weights(), w);
            return new Tensor[] {f.output(), f.weights(), g.q(), g.k(), g.v(), g.relRow(), g.relColumn()};
        }
    }

    private static Case of(String name, int batch, int channels, int heads, int height, int width, int kernelSize,
            Border border, boolean scaled) {
        double scale = scaled ? LocalAttentionWindow.scaledLogitFactor(channels, heads) : 1;
        LocalAttentionWindow window = new LocalAttentionWindow(heads, kernelSize, border, scale);
        return new Case(name, batch, channels, height, width, window);
    }

    static Stream<Case> awkwardShapes() {
        return Stream.of(
                of("k=1: only the centre", 2, 4, 1, 5, 6, 1, Border.MASK, false),
                of("3x3, batch 1, dh 2", 1, 4, 2, 6, 7, 3, Border.MASK, false),
                of("3x3, zero border, dh 4", 2, 8, 2, 7, 9, 3, Border.ZERO, true),
                of("5x5, dh 8", 2, 16, 2, 9, 11, 5, Border.MASK, true),
                of("5x5, zero border, dh 8", 2, 16, 2, 9, 11, 5, Border.ZERO, false),
                of("7x7, dh 6", 1, 12, 2, 10, 13, 7, Border.MASK, false),
                of("7x7, zero border, four heads of 6", 2, 24, 4, 8, 19, 7, Border.ZERO, true),
                of("2x9 image, 5x5 window, four heads of 2", 2, 8, 4, 2, 9, 5, Border.MASK, false),
                of("2x9 image, 5x5 window, zero border", 1, 8, 4, 2, 9, 5, Border.ZERO, true),
                of("5x3 image, 7x7 window", 1, 8, 1, 5, 3, 7, Border.MASK, true),
                of("5x3 image, 7x7 window, zero border", 2, 8, 1, 5, 3, 7, Border.ZERO, false),
                of("1x1 image", 2, 4, 2, 1, 1, 3, Border.MASK, false),
                of("1x1 image, zero border", 1, 4, 2, 1, 1, 3, Border.ZERO, false),
                of("rows of 37 columns", 1, 8, 2, 3, 37, 3, Border.MASK, true),
                of("rows of 16 columns, zero border", 1, 4, 1, 4, 16, 5, Border.ZERO, false),
                of("rows of 17 columns, 7x7", 2, 6, 1, 5, 17, 7, Border.MASK, false),
                of("images cut into three blocks of rows", 2, 8, 1, 13, 20, 3, Border.MASK, false),
                of("images cut into two blocks of rows, zero border", 1, 8, 2, 21, 18, 5, Border.ZERO, true),
                of("images of 66 rows, cut in two", 8, 4, 2, 66, 2, 3, Border.MASK, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardShapes")
    void fastMatchesReference(Case c) {
        LocalAttentionWindow w = c.window();
        Operands o = Operands.random(new Rng(c.name().hashCode()), c.batch(), c.channels(), c.height(), c.width(), w);
        LocalSelfAttentionKernels.Forward expected = LocalSelfAttentionReference.forward(o.q(), o.k(), o.v(), o.relRow(),
                o.relColumn(), w);
        LocalSelfAttentionKernels.Forward actual = LocalSelfAttentionFast.forward(o.q(), o.k(), o.v(), o.relRow(),
                o.relColumn(), w);
        assertClose(expected.weights(), actual.weights(), c + ": weights");
        assertClose(expected.output(), actual.output(), c + ": output");
        // Both backward passes get the same weights, so that the gradients compare backward alone.
        Tensor p = expected.weights();
        LocalSelfAttentionKernels.Gradients e = LocalSelfAttentionReference.backward(o.gradOutput(), o.q(), o.k(), o.v(),
                o.relRow(), o.relColumn(), p, w);
        LocalSelfAttentionKernels.Gradients a = LocalSelfAttentionFast.backward(o.gradOutput(), o.q(), o.k(), o.v(),
                o.relRow(), o.relColumn(), p, w);
        assertClose(e.q(), a.q(), c + ": dL/dq");
        assertClose(e.k(), a.k(), c + ": dL/dk");
        assertClose(e.v(), a.v(), c + ": dL/dv");
        assertClose(e.relRow(), a.relRow(), c + ": dL/drelRow");
        assertClose(e.relColumn(), a.relColumn(), c + ": dL/drelCol");
    }

    /** |fast - reference| <= RELATIVE_TOLERANCE * (largest |reference|) for every element. */
    private static void assertClose(Tensor reference, Tensor fast, String what) {
        assertEquals(DType.FLOAT32, fast.dtype(), what + ": dtype");
        double largest = 0;
        for (double x : reference.toDoubleArray()) {
            largest = Math.max(largest, Math.abs(x));
        }
        double[] tolerance = new double[reference.numel()];
        Arrays.fill(tolerance, largest * RELATIVE_TOLERANCE + Float.MIN_NORMAL);
        KernelTesting.assertClose(reference, fast, tolerance, what);
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

    /** Images cut into row blocks and several images give many tiles; 1 to 4 threads give the same bits. */
    @Test
    void sameBitsForAnyThreadCount() {
        Rng rng = new Rng(4);
        for (Border border : Border.values()) {
            LocalAttentionWindow w = new LocalAttentionWindow(2, 5, border, 0.5);
            Operands o = Operands.random(rng, 2, 12, 17, 21, w);
            assertEquals(2, LocalSelfAttentionFast.rowBlocks(4, 17, 2), "blocks of rows per image");
            Tensor[] one = Parallel.withThreads(1, () -> o.fastResults(w));
            for (int threads : new int[] {2, 3, 4}) {
                Tensor[] many = Parallel.withThreads(threads, () -> o.fastResults(w));
                for (int i = 0; i < one.length; i++) {
                    assertSameFloats(one[i], many[i], w + ", result " + i + " with " + threads + " threads");
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

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /**
     * The fast kernel gives the same bits with narrower vectors: {@link WidthProbe} in fresh JVMs with
     * {@code vista.vector.bits} (run side by side) prints what it computes here.
     */
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        WidthProbes.assertSameLinesForEveryVectorWidth(WidthProbe.class, WidthProbe.results());
    }

    /** Prints a hash of the bits of fast local-attention results, for {@link #sameBitsForEveryVectorWidth}. */
    public static final class WidthProbe {
        private WidthProbe() {
        }

        public static void main(String[] args) {
            WidthProbes.stableResults(WidthProbe::results).forEach(System.out::println);
        }

        static List<String> results() {
            Rng rng = new Rng(10);
            List<String> out = new ArrayList<>();
            LocalAttentionWindow[] windows = {
                new LocalAttentionWindow(1, 3, Border.MASK, 1),
                new LocalAttentionWindow(1, 5, Border.ZERO, 0.5),
            };
            int[][] shapes = {{1, 4, 9, 13}, {1, 4, 5, 22}};
            for (int c = 0; c < windows.length; c++) {
                int[] s = shapes[c];
                Operands o = Operands.random(rng, s[0], s[1], s[2], s[3], windows[c]);
                for (Tensor t : o.fastResults(windows[c])) {
                    out.add(WidthProbes.hash(t));
                }
            }
            return out;
        }
    }
}
