package vista.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorViewsTest {

    private static Tensor counting(int... dims) {
        int n = Shape.of(dims).numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.fromArray(v, dims);
    }

    @Test
    void creationFillsAsAsked() {
        assertArrayEquals(new float[] {0, 0, 0}, Tensor.zeros(3).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(2.5, 1, 2).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toFloatArray());
        assertArrayEquals(new float[] {1, 0.5f, 0}, Tensor.arange(1, -0.25, -0.5).toFloatArray());
        assertEquals(7, Tensor.scalar(7).item());
        assertEquals(DType.FLOAT64, Tensor.fromArray(new double[] {1, 2}, 2).dtype());
    }

    @Test
    void fromArrayRejectsTheWrongNumberOfValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new float[5], 2, 3));
        assertEquals("fromArray: 5 values do not fill shape [2, 3] (6 elements)", e.getMessage());
    }

    @Test
    void sameSeedGivesSameRandomTensor() {
        assertArrayEquals(Tensor.randn(new Rng(5), 3, 4).toFloatArray(), Tensor.randn(new Rng(5), 3, 4).toFloatArray());
        Tensor u = Tensor.uniform(new Rng(5), -2, 3, 1000);
        for (float x : u.toFloatArray()) {
            assertTrue(x >= -2 && x < 3, "outside [-2, 3): " + x);
        }
    }

    @Test
    void transposeIsAViewWithSwappedStrides() {
        Tensor t = counting(2, 3);
        Tensor tt = t.transpose(0, 1);
        assertSame(t.storage(), tt.storage());
        assertEquals(Shape.of(3, 2), tt.shape());
        assertFalse(tt.isContiguous());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tt.toFloatArray());
        assertTrue(tt.contiguous().isContiguous());
    }

    @Test
    void permuteReordersAxes() {
        Tensor t = counting(2, 3, 4);
        Tensor p = t.permute(2, 0, 1);
        assertEquals(Shape.of(4, 2, 3), p.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(t.get(i, j, k), p.get(k, i, j));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> t.permute(0, 0, 1));
    }

    @Test
    void sliceSelectsARangeWithoutCopying() {
        Tensor t = counting(4, 5);
        Tensor s = t.slice(1, 1, 3);
        assertSame(t.storage(), s.storage());
        assertArrayEquals(new float[] {1, 2, 6, 7, 11, 12, 16, 17}, s.toFloatArray());
        s.set(-1, 0, 0);
        assertEquals(-1, t.get(0, 1), "a slice writes through to its base");
        var e = assertThrows(IllegalArgumentException.class, () -> t.slice(0, 2, 5));
        assertEquals("slice: range [2, 5) is not within axis 0 of size 4 (shape [4, 5])", e.getMessage());
    }

    @Test
    void expandRepeatsSizeOneAxesWithStrideZero() {
        Tensor row = counting(1, 3);
        Tensor e = row.expand(2, 3);
        assertArrayEquals(new int[] {0, 1}, e.strides());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, e.toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, counting(3).expand(2, 3).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> counting(2, 3).expand(4, 3));
    }

    @Test
    void reshapeInfersOneDimensionAndCopiesOnlyWhenNeeded() {
        Tensor t = counting(2, 6);
        Tensor r = t.reshape(3, -1);
        assertEquals(Shape.of(3, 4), r.shape());
        assertSame(t.storage(), r.storage());
        Tensor fromView = t.transpose(0, 1).reshape(12);
        assertArrayEquals(new float[] {0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}, fromView.toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertEquals("reshape: cannot view shape [2, 6] as [5, -1]", e.getMessage());
    }

    @Test
    void unsqueezeAndSqueezeAddAndRemoveUnitAxes() {
        Tensor t = counting(2, 3);
        assertEquals(Shape.of(2, 1, 3), t.unsqueeze(1).shape());
        assertEquals(Shape.of(2, 3, 1), t.unsqueeze(-1).shape());
        assertEquals(Shape.of(2, 3), t.unsqueeze(0).squeeze(0).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> t.squeeze(1));
        assertEquals("squeeze: axis 1 of shape [2, 3] has size 3, expected 1", e.getMessage());
    }

    @Test
    void getChecksIndices() {
        Tensor t = counting(2, 3);
        assertEquals(5, t.get(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertThrows(IllegalStateException.class, t::item);
    }

    @Test
    void dtypeConversionRoundsToFloat() {
        Tensor d = Tensor.fromArray(new double[] {0.1, 1e-50}, 2);
        Tensor f = d.to(DType.FLOAT32);
        assertArrayEquals(new float[] {0.1f, 0f}, f.toFloatArray());
        assertEquals((double) 0.1f, f.to(DType.FLOAT64).get(0));
        assertSame(d, d.to(DType.FLOAT64));
    }
}
