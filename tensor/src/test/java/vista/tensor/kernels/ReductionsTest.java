package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.KernelTesting.assertSameBits;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Reductions: the documented summation order, layouts, known values, NaN, ties, empty axes and tensors,
 * errors. Fast against reference, threads and vector widths: {@link OpCatalogueTest} ({@code sum},
 * {@code mean}, {@code max}, {@code var}, {@code argmax}).
 */
class ReductionsTest {
    /**
     * The fast sum follows the documented order exactly: chunks of 2^15, element i of a chunk into
     * accumulator i mod 16, the fixed tree, chunks added in order. The model below is scalar code, so
     * this also shows that the result cannot depend on the vector width.
     */
    @Test
    void fastSumFollowsTheDocumentedOrder() {
        Rng rng = new Rng(3);
        int chunk = ReductionsFast.CHUNK;
        int[] lengths = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 1000, chunk - 1, chunk, chunk + 5, 3 * chunk + 17};
        for (int n : lengths) {
            Tensor x = Tensor.randn(rng, 3, n).mul(Tensor.randn(rng, 3, 1).exp());
            float[] data = x.toFloatArray();
            float[] rows = ReductionsFast.sum(x, new int[] {1}, false).toFloatArray();
            float[] columns = ReductionsFast.sum(x.transpose(0, 1).contiguous(), new int[] {0}, false).toFloatArray();
            for (int r = 0; r < 3; r++) {
                float expected = modelSum(data, r * n, n);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(rows[r]), "row sum, n = " + n);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(columns[r]), "column sum, n = " + n);
            }
        }
    }

    /** The documented order, written as plainly as possible. */
    private static float modelSum(float[] data, int from, int n) {
        float total = 0;
        for (int chunk = 0; chunk < Math.max(1, n); chunk += ReductionsFast.CHUNK) {
            float[] a = new float[16];
            for (int i = chunk; i < Math.min(n, chunk + ReductionsFast.CHUNK); i++) {
                a[(i - chunk) % 16] += data[from + i];
            }
            float tree = (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])))
                    + (((a[8] + a[9]) + (a[10] + a[11])) + ((a[12] + a[13]) + (a[14] + a[15])));
            total = chunk == 0 ? tree : total + tree;
        }
        return total;
    }

    /**
     * A sum over the outer and inner axes around the kept ones (a bias gradient's {@code (0, 2, 3)}) is
     * read in place, run by run, and still follows the documented order on each channel's sequence; runs
     * whose length is no multiple of 16, and channels whose sequence spans several chunks, included.
     */
    @Test
    void sumAroundKeptAxesFollowsTheDocumentedOrderInPlace() {
        Rng rng = new Rng(5);
        int[][] shapes = {{3, 4, 1, 2}, {5, 3, 7, 7}, {4, 2, 4, 4}, {6, 3, 1, 17}, {9, 5, 14, 14},
            {700, 2, 7, 7}, {43, 3, 28, 28}, {2, 3, 5}, {1, 3, 5, 5}};
        for (int[] dims : shapes) {
            Tensor x = Tensor.randn(rng, dims).mul(3);
            int[] axes = dims.length == 4 ? new int[] {0, 2, 3} : new int[] {0, 2};
            int n = x.numel() / dims[1];
            float[] sequences = x.transpose(0, 1).contiguous().toFloatArray();
            float[] sums = ReductionsFast.sum(x, axes, false).toFloatArray();
            float[] means = ReductionsFast.mean(x, axes, true).toFloatArray();
            for (int c = 0; c < dims[1]; c++) {
                float expected = modelSum(sequences, c * n, n);
                String where = java.util.Arrays.toString(dims) + ", channel " + c;
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(sums[c]), "sum, " + where);
                assertEquals(Float.floatToIntBits(expected / n), Float.floatToIntBits(means[c]), "mean, " + where);
            }
        }
    }

    @Test
    void sumOrderDoesNotDependOnLayout() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 5, 300, 7);
        Tensor moved = x.permute(0, 2, 1).contiguous();
        assertSameFloats(ReductionsFast.sum(moved, new int[] {2}, false), ReductionsFast.sum(x, new int[] {1}, false),
                "sum over the middle axis vs the same data moved last");
        assertSameFloats(ReductionsFast.var(moved, new int[] {2}, false, 1),
                ReductionsFast.var(x, new int[] {1}, false, 1), "var over the middle axis vs the same data moved last");
        assertSameFloats(ReductionsFast.sum(moved, new int[] {0, 2}, false),
                ReductionsFast.sum(x, new int[] {0, 1}, false), "sum over [0, 2] of the moved copy vs [0, 1]");
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        assertEquals(15, x.sum().item());
        assertEquals(2.5, x.mean().item());
        assertArrayEquals(new float[] {3, 5, 7}, x.sum(new int[] {0}, false).toFloatArray());
        assertArrayEquals(new float[] {1, 4}, x.mean(new int[] {1}, false).toFloatArray());
        assertArrayEquals(new float[] {2, 5}, x.max(new int[] {-1}, false).toFloatArray());
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3, 4}, 4);
        assertEquals(5.0 / 3.0, v.var(new int[] {0}, false, 1).item(), 1e-7);
        assertEquals(1.25, v.var(new int[] {0}, false, 0).item());
        assertEquals(Shape.of(2, 1), x.sum(new int[] {1}, true).shape());
        assertEquals(Shape.scalar(), x.sum().shape());
        Tensor d = x.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, d.sum().dtype());
        assertEquals(0.1 + 0.2, Tensor.fromArray(new double[] {0.1, 0.2}, 2).sum().item());
    }

    @Test
    void maxPropagatesNaN() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 3, -1, -2, -3}, 2, 3);
        float[] fast = ReductionsFast.max(x, new int[] {1}, false).toFloatArray();
        assertTrue(Float.isNaN(fast[0]));
        assertEquals(-1, fast[1]);
        assertTrue(Double.isNaN(ReductionsReference.max(x, new int[] {0, 1}, false).item()));
        assertTrue(Double.isNaN(ReductionsFast.sum(x, new int[] {0, 1}, false).item()));
    }

    @Test
    void argmaxTakesTheFirstIndexOnTies() {
        Tensor x = Tensor.fromArray(new float[] {1, 5, 5, 0, 7, 7, 7, 2, -0f, 0f, -1, -1}, 3, 4);
        assertArrayEquals(new float[] {1, 0, 0}, ReductionsFast.argmax(x, 1, false).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0}, ReductionsReference.argmax(x, 1, false).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, ReductionsFast.argmax(x, 0, false).toFloatArray());
        Tensor nan = Tensor.fromArray(new float[] {1, Float.NaN, 9, Float.NaN}, 4);
        assertEquals(1, ReductionsFast.argmax(nan, 0, false).item());
        assertEquals(1, ReductionsReference.argmax(nan, 0, false).item());
        assertEquals(Shape.of(3, 1), x.argmax(-1, true).shape());
        assertEquals(DType.FLOAT64, x.to(DType.FLOAT64).argmax(0, false).dtype());
    }

    @Test
    void emptyAxesReduceNothing() {
        Tensor x = Tensor.randn(new Rng(6), 3, 5);
        for (boolean keepdim : new boolean[] {false, true}) {
            assertSameFloats(x, ReductionsFast.sum(x, new int[0], keepdim), "fast sum over no axes");
            assertSameFloats(x, ReductionsReference.sum(x, new int[0], keepdim), "reference sum over no axes");
            assertSameFloats(x, ReductionsFast.mean(x, new int[0], keepdim), "fast mean over no axes");
            assertSameFloats(x, ReductionsFast.max(x, new int[0], keepdim), "fast max over no axes");
            assertSameFloats(Tensor.zeros(3, 5), ReductionsFast.var(x, new int[0], keepdim, 0), "var over no axes");
        }
        Tensor scalar = Tensor.scalar(4);
        assertEquals(4, scalar.sum().item());
        assertEquals(Shape.scalar(), scalar.sum().shape());
    }

    @Test
    void reductionsOverZeroElements() {
        Tensor empty = Tensor.zeros(3, 0);
        assertArrayEquals(new float[] {0, 0, 0}, empty.sum(new int[] {1}, false).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, ReductionsReference.sum(empty, new int[] {1}, false).toFloatArray());
        assertTrue(Float.isNaN(empty.mean(new int[] {1}, false).toFloatArray()[0]));
        assertEquals(Shape.of(0), empty.sum(new int[] {0}, false).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> empty.max(new int[] {1}, false));
        assertEquals("max: cannot reduce zero elements (shape [3, 0]); the result would be undefined", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReductionsReference.max(empty, new int[] {1}, false));
        assertThrows(IllegalArgumentException.class, () -> empty.argmax(1, false));
    }

    @Test
    void rejectsBadAxes() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {3}, false));
        assertEquals("sum: axis 3 is out of range for shape [2, 3] (expected -2 <= axis < 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.mean(new int[] {1, -1}, false));
        assertEquals("mean: axis 1 appears twice in axes [1, -1] (shape [2, 3])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.argmax(-3, false));
        assertEquals("argmax: axis -3 is out of range for shape [2, 3] (expected -2 <= axis < 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ReductionsReference.max(x.to(DType.FLOAT64), new int[] {0, 0}, false));
        assertEquals("max: axis 0 appears twice in axes [0, 0] (shape [2, 3])", e.getMessage());
    }

    @Test
    void varRejectsCorrectionNotBelowCount() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.var(new int[] {1}, false, 3));
        assertEquals("var: n - correction = 3 - 3 must be positive (shape [2, 3])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReductionsReference.var(x, new int[0], false, 1));
        assertSameBits(Tensor.zeros(2), x.var(new int[] {1}, false, 2), "var with correction n - 1");
    }
}
