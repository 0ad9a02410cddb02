package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Softmax and log-softmax: stability, rows summing to one, the same bits along any axis, known values,
 * errors. Fast against reference, threads and vector widths: {@link OpCatalogueTest} ({@code softmax},
 * {@code log_softmax}).
 */
class SoftmaxTest {

    @Test
    void softmaxIsStableForLargeLogits() {
        Tensor logits = Tensor.fromArray(new float[] {1000, 1001, 1002, -1000, -1001, -1002, 3e38f, 0, -3e38f}, 3, 3);
        double e1 = Math.exp(-1);
        double e2 = Math.exp(-2);
        double total = 1 + e1 + e2;
        float[] expected = {(float) (e2 / total), (float) (e1 / total), (float) (1 / total),
            (float) (1 / total), (float) (e1 / total), (float) (e2 / total), 1, 0, 0};
        for (Tensor result : new Tensor[] {SoftmaxFast.softmax(logits, 1), SoftmaxReference.softmax(logits, 1)}) {
            float[] p = result.toFloatArray();
            for (int i = 0; i < p.length; i++) {
                assertEquals(expected[i], p[i], 2e-7, "softmax element " + i);
            }
        }
        for (Tensor result : new Tensor[] {SoftmaxFast.logSoftmax(logits, 1), SoftmaxReference.logSoftmax(logits, 1)}) {
            float[] p = result.toFloatArray();
            assertEquals(-2 - Math.log(total), p[0], 1e-6);
            assertEquals(-Math.log(total), p[2], 1e-6);
            assertEquals(-Math.log(total), p[3], 1e-6);
            assertEquals(0, p[6]);
            assertEquals(-3e38f, p[7], 1e32);
            assertEquals(Float.NEGATIVE_INFINITY, p[8], "-6e38 is below the float range");
        }
    }

    @Test
    void rowsSumToOne() {
        Tensor x = Tensor.randn(new Rng(2), 9, 130).mul(10.0);
        float[] sums = x.softmax(1).sum(new int[] {1}, false).toFloatArray();
        for (float s : sums) {
            assertEquals(1f, s, 4e-7f);
        }
        float[] logSums = x.logSoftmax(0).exp().sum(new int[] {0}, false).toFloatArray();
        for (float s : logSums) {
            assertEquals(1f, s, 4e-7f);
        }
    }

    @Test
    void softmaxGivesSameBitsOnAnyAxis() {
        Tensor x = Tensor.randn(new Rng(3), 4, 37, 21).mul(3.0);
        Tensor moved = x.permute(0, 2, 1).contiguous();
        assertSameFloats(SoftmaxFast.softmax(moved, 2).permute(0, 2, 1), SoftmaxFast.softmax(x, 1),
                "softmax along the middle axis vs the same data moved last");
        assertSameFloats(SoftmaxFast.logSoftmax(moved, 2).permute(0, 2, 1), SoftmaxFast.logSoftmax(x, 1),
                "logSoftmax along the middle axis vs the same data moved last");
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.fromArray(new float[] {0, (float) Math.log(3)}, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f}, x.softmax(0).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, Tensor.full(7, 5).softmax(0).toFloatArray());
        assertArrayEquals(new float[] {1}, Tensor.fromArray(new float[] {-5}, 1).softmax(0).toFloatArray());
        assertEquals(Shape.of(2, 0), Tensor.zeros(2, 0).softmax(1).shape());
        Tensor d = Tensor.fromArray(new double[] {0, Math.log(3)}, 2);
        assertEquals(DType.FLOAT64, d.softmax(0).dtype());
        assertEquals(Math.log(0.75), d.logSoftmax(0).get(1), 1e-15);
    }

    @Test
    void rejectsOutOfRangeAxis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).softmax(2));
        assertEquals("softmax: axis 2 is out of range for shape [2, 3] (expected -2 <= axis < 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).logSoftmax(-3));
        assertEquals("logSoftmax: axis -3 is out of range for shape [2, 3] (expected -2 <= axis < 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoftmaxReference.softmax(Tensor.scalar(1), 0));
    }
}
