package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Matrix products: hand examples, vector operands, broadcast batches, float64, views, empty dimensions,
 * errors. Fast against reference, threads and vector widths: {@link OpCatalogueTest} ({@code matmul}).
 */
class MatMulTest {
    @Test
    void multipliesTwoMatricesAsWrittenByHand() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromArray(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        Tensor c = MatMulKernels.matmul(a, b);
        assertEquals(Shape.of(2, 2), c.shape());
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new float[] {58, 64, 139, 154}, c.toFloatArray());
    }

    @Test
    void vectorOperandsLoseTheirAddedAxis() {
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor m = Tensor.fromArray(new float[] {1, 0, 2, 1, 0, 3}, 3, 2);
        Tensor vm = MatMulKernels.matmul(v, m);
        assertEquals(Shape.of(2), vm.shape());
        assertArrayEquals(new float[] {5, 11}, vm.toFloatArray());

        Tensor mv = MatMulKernels.matmul(m.transpose(0, 1), v);
        assertEquals(Shape.of(2), mv.shape());
        assertArrayEquals(new float[] {5, 11}, mv.toFloatArray());

        Tensor dot = MatMulKernels.matmul(v, v);
        assertEquals(Shape.scalar(), dot.shape());
        assertEquals(14.0, dot.item());

        Tensor batchOfVectors = MatMulKernels.matmul(v, Tensor.stack(0, m, m));
        assertEquals(Shape.of(2, 2), batchOfVectors.shape());
    }

    @Test
    void batchAxesBroadcast() {
        Rng rng = new Rng(1);
        Tensor a = Tensor.randn(rng, 2, 1, 3, 4);
        Tensor b = Tensor.randn(rng, 3, 4, 5);
        Tensor c = MatMulKernels.matmul(a, b);
        assertEquals(Shape.of(2, 3, 3, 5), c.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                float[] expected = GemmEntries.referenceMatmul(matrix(a, i, 0), matrix(b, j)).toFloatArray();
                assertArrayEquals(expected, matrix(c, i, j).toFloatArray(), "batch entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void float64OperandsGiveExactFloat64Products() {
        Tensor a = Tensor.fromArray(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 2);
        Tensor b = Tensor.fromArray(new double[] {0.5, 0.6, 0.7, 0.8}, 2, 2);
        Tensor c = MatMulKernels.matmul(a, b);
        assertEquals(DType.FLOAT64, c.dtype());
        double[] expected = {
            Math.fma(0.2, 0.7, 0.1 * 0.5), Math.fma(0.2, 0.8, 0.1 * 0.6),
            Math.fma(0.4, 0.7, 0.3 * 0.5), Math.fma(0.4, 0.8, 0.3 * 0.6),
        };
        assertArrayEquals(expected, c.toDoubleArray());
        assertNotEquals((double) (float) expected[0], c.toDoubleArray()[0], "the product was rounded to float32");

        Tensor mixed = MatMulKernels.matmul(a, Tensor.fromArray(new float[] {1, 0, 0, 1}, 2, 2));
        assertEquals(DType.FLOAT64, mixed.dtype());
        assertArrayEquals(a.toDoubleArray(), mixed.toDoubleArray());
    }

    @Test
    void transposedViewsGiveSameResultAsCopies() {
        Rng rng = new Rng(2);
        Tensor a = Tensor.randn(rng, 40, 33).transpose(0, 1);
        Tensor b = Tensor.randn(rng, 3, 17, 40).transpose(-1, -2);
        Tensor expected = MatMulKernels.matmul(a.copy(), b.copy());
        assertArrayEquals(expected.toFloatArray(), MatMulKernels.matmul(a, b).toFloatArray());
        assertEquals(Shape.of(3, 33, 17), expected.shape());
    }

    @Test
    void stridedAndExpandedViewsGiveSameResultAsCopies() {
        Rng rng = new Rng(3);
        Tensor sliced = Tensor.randn(rng, 9, 20).slice(1, 3, 15).slice(0, 1, 8);
        Tensor everyOther = Tensor.randn(rng, 12, 5).slice(0, 0, 12).reshape(6, 2, 5).slice(1, 0, 1).squeeze(1);
        Tensor expanded = Tensor.randn(rng, 1, 5).expand(12, 5);
        assertArrayEquals(MatMulKernels.matmul(sliced.copy(), sliced.transpose(0, 1).copy()).toFloatArray(),
                MatMulKernels.matmul(sliced, sliced.transpose(0, 1)).toFloatArray());
        assertArrayEquals(MatMulKernels.matmul(expanded.copy(), everyOther.transpose(0, 1).copy()).toFloatArray(),
                MatMulKernels.matmul(expanded, everyOther.transpose(0, 1)).toFloatArray());
    }

    @Test
    void emptyDimensionsGiveEmptyOrZeroResults() {
        assertEquals(Shape.of(0, 4), MatMulKernels.matmul(Tensor.zeros(0, 3), Tensor.ones(3, 4)).shape());
        assertArrayEquals(new float[6], MatMulKernels.matmul(Tensor.ones(2, 0), Tensor.ones(0, 3)).toFloatArray());
        assertEquals(Shape.of(0, 2, 2), MatMulKernels.matmul(Tensor.zeros(0, 2, 3), Tensor.ones(3, 2)).shape());
    }

    @Test
    void rejectsMismatchedInnerDimensions() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MatMulKernels.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 2)));
        assertEquals("matmul: inner dimensions differ: [3, 4] x [5, 2] (4 != 5)", e.getMessage());
    }

    @Test
    void rejectsBatchAxesThatDoNotBroadcast() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MatMulKernels.matmul(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5)));
        assertEquals("matmul: batch dimensions do not broadcast: [2, 3, 4] x [3, 4, 5] (2 vs 3 on batch axis 0)",
                e.getMessage());
    }

    @Test
    void rejectsScalarOperands() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MatMulKernels.matmul(Tensor.scalar(2), Tensor.zeros(3)));
        assertEquals("matmul: both operands need at least one dimension, got [] x [3]", e.getMessage());
    }

    /** Batch entry {@code index} of {@code t}: a view of its last two axes. */
    private static Tensor matrix(Tensor t, int... index) {
        Tensor m = t;
        for (int i : index) {
            m = m.slice(0, i, i + 1).squeeze(0);
        }
        return m;
    }
}
