package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The per-channel affine steps: their formulas, element by element, in float32 (vector lanes and tail) and
 * float64. Threads and vector widths: {@link OpCatalogueTest} ({@code channel_affine}).
 */
class ChannelAffineTest {
    /** 37 positions: two full 16-lane vectors and a tail, or more of narrower vectors. */
    private static final int POSITIONS = 37;

    @Test
    void scaleShiftReluIsMaxOfZeroAndTheAffineMap() {
        Tensor x = Tensor.randn(new Rng(1), 2, 3, POSITIONS);
        double[] s = {0.5, -2, 1.25};
        double[] t = {0.1, 0, -0.3};
        for (DType dtype : DType.values()) {
            Tensor y = ChannelAffine.scaleShiftRelu(x.to(dtype), s, t);
            forEach(x, (n, c, p) -> {
                double expected = Math.max(0, s[c] * x.get(n, c, p) + t[c]);
                assertEquals(expected, y.get(n, c, p), dtype == DType.FLOAT32 ? 1e-6 : 1e-12, dtype + " " + c + " " + p);
            });
        }
    }

    @Test
    void combineIsAGPlusBXPlusKPerChannel() {
        Tensor g = Tensor.randn(new Rng(2), 2, 3, POSITIONS);
        Tensor x = Tensor.randn(new Rng(3), 2, 3, POSITIONS);
        double[] a = {1, -0.5, 2};
        double[] b = {0.25, 3, -1};
        double[] k = {0, 0.75, -2};
        for (DType dtype : DType.values()) {
            Tensor y = ChannelAffine.combine(g.to(dtype), a, x.to(dtype), b, k);
            forEach(x, (n, c, p) -> assertEquals(a[c] * g.get(n, c, p) + b[c] * x.get(n, c, p) + k[c], y.get(n, c, p),
                    dtype == DType.FLOAT32 ? 1e-5 : 1e-12, dtype + " " + c + " " + p));
        }
    }

    @Test
    void keepWherePositiveZeroesTheRestInPlace() {
        Tensor x = Tensor.randn(new Rng(4), 2, 3, POSITIONS);
        for (DType dtype : DType.values()) {
            Tensor g = Tensor.randn(new Rng(5), 2, 3, POSITIONS).to(dtype);
            Tensor before = g.copy();
            assertSame(g, ChannelAffine.keepWherePositive(g, x.to(dtype)));
            forEach(x, (n, c, p) -> assertEquals(x.get(n, c, p) > 0 ? before.get(n, c, p) : 0, g.get(n, c, p), 0.0));
        }
        assertThrows(IllegalArgumentException.class,
                () -> ChannelAffine.keepWherePositive(Tensor.zeros(2, 3, 4).transpose(0, 1), Tensor.zeros(3, 2, 4)));
    }

    private interface Element {
        void check(int n, int c, int p);
    }

    private static void forEach(Tensor shape, Element e) {
        for (int n = 0; n < shape.dim(0); n++) {
            for (int c = 0; c < shape.dim(1); c++) {
                for (int p = 0; p < shape.dim(2); p++) {
                    e.check(n, c, p);
                }
            }
        }
    }
}
