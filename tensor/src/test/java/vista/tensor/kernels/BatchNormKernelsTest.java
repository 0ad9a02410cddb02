package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Training-mode batch normalisation: known values, the fast kernel's documented summation order (bit for
 * bit), a skipped input gradient, float64, errors. Fast against reference, threads and vector widths:
 * {@link OpCatalogueTest} ({@code batchnorm2d}).
 */
class BatchNormKernelsTest {
    private static final double EPS = BatchNormEntries.BATCH_NORM_EPS;

    @Test
    void knownValues() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 4, 1);
        BatchNormKernels.Forward f = BatchNormKernels.train(x, Tensor.full(2, 1), Tensor.full(0.5, 1), EPS);
        assertEquals(2.5, f.mean().item(), 0);
        assertEquals(1.25, f.variance().item(), 0);
        assertEquals(1 / Math.sqrt(1.25 + EPS), f.inverseStd().item(), 1e-7);
        double r = 1 / Math.sqrt(1.25 + EPS);
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = (float) (2 * (i + 1 - 2.5) * r + 0.5);
        }
        assertArrayEquals(expected, f.output().toFloatArray(), 1e-6f);
    }

    @Test
    void inputGradientIsSkippedWhenNotAsked() {
        Rng rng = new Rng(12);
        Tensor x = Tensor.randn(rng, 2, 3, 4, 5);
        BatchNormKernels.Forward f = BatchNormKernels.train(x, Tensor.ones(3), Tensor.zeros(3), EPS);
        BatchNormKernels.Gradients grads =
                BatchNormKernels.backward(Tensor.randn(rng, 2, 3, 4, 5), x, Tensor.ones(3), f.mean(), f.inverseStd(), false);
        assertNull(grads.input());
        assertEquals(3, grads.weight().numel());
    }

    /**
     * The fast kernel's statistics and parameter gradients equal, bit for bit, a scalar emulation of the
     * order documented in {@link BatchNormFast}: blocks of max(1, 4096 / L) runs, value l of each run into
     * accumulator l mod 16, the fixed tree, block results added in double.
     */
    @Test
    void sumsFollowTheDocumentedOrder() {
        Rng rng = new Rng(13);
        for (int[] dims : new int[][] {{3, 2, 4, 300}, {20, 2, 70, 70}, {37, 3, 5, 7}, {300, 2, 1, 1}}) {
            Tensor x = Tensor.randn(rng, dims).mul(3).add(1);
            Tensor g = Tensor.randn(rng, dims);
            Tensor gamma = Tensor.uniform(rng, 0.5, 2, dims[1]);
            BatchNormKernels.Forward f = BatchNormFast.train(x, gamma, Tensor.zeros(dims[1]), EPS);
            BatchNormKernels.Gradients grads = BatchNormFast.backward(g, x, gamma, f.mean(), f.inverseStd(), true);
            float[] xs = x.toFloatArray();
            float[] gs = g.toFloatArray();
            int l = xs.length / (dims[0] * dims[1]);
            for (int c = 0; c < dims[1]; c++) {
                int n = dims[0] * l;
                float mean = (float) (documentedSum(xs, null, dims, l, c, 0, Kind.SUM) / n);
                float variance = (float) (documentedSum(xs, null, dims, l, c, mean, Kind.SQUARES) / n);
                String what = Arrays.toString(dims) + " channel " + c;
                assertEquals(Float.floatToIntBits(mean), Float.floatToIntBits(f.mean().toFloatArray()[c]), "mean " + what);
                assertEquals(Float.floatToIntBits(variance), Float.floatToIntBits(f.variance().toFloatArray()[c]),
                        "variance " + what);
                float sumG = (float) documentedSum(gs, null, dims, l, c, 0, Kind.SUM);
                float r = f.inverseStd().toFloatArray()[c];
                float sumGXHat = (float) (r * documentedSum(gs, xs, dims, l, c, mean, Kind.PRODUCTS));
                assertEquals(Float.floatToIntBits(sumG), Float.floatToIntBits(grads.bias().toFloatArray()[c]),
                        "dL/dβ " + what);
                assertEquals(Float.floatToIntBits(sumGXHat), Float.floatToIntBits(grads.weight().toFloatArray()[c]),
                        "dL/dγ " + what);
            }
        }
    }

    private enum Kind { SUM, SQUARES, PRODUCTS }

    /** The documented order in scalar code: SUM of a, SQUARES (a - mean)², or PRODUCTS a (b - mean), one FMA each. */
    private static double documentedSum(float[] a, float[] b, int[] dims, int l, int c, float mean, Kind kind) {
        int runsPerBlock = Math.max(1, 4096 / l);
        double total = 0;
        for (int first = 0; first < dims[0]; first += runsPerBlock) {
            float[] acc = new float[16];
            for (int i = first; i < Math.min(dims[0], first + runsPerBlock); i++) {
                int start = (i * dims[1] + c) * l;
                for (int p = 0; p < l; p++) {
                    float v = a[start + p];
                    acc[p % 16] = switch (kind) {
                        case SUM -> acc[p % 16] + v;
                        case SQUARES -> Math.fma(v - mean, v - mean, acc[p % 16]);
                        case PRODUCTS -> Math.fma(v, b[start + p] - mean, acc[p % 16]);
                    };
                }
            }
            total += (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])))
                    + (((acc[8] + acc[9]) + (acc[10] + acc[11])) + ((acc[12] + acc[13]) + (acc[14] + acc[15])));
        }
        return total;
    }

    @Test
    void float64UsesTheReference() {
        Tensor x = Tensor.randn(new Rng(16), 2, 3, 4).to(DType.FLOAT64);
        BatchNormKernels.Forward f = BatchNormKernels.train(x, Tensor.ones(3), Tensor.zeros(3), EPS);
        assertEquals(DType.FLOAT64, f.output().dtype());
        assertEquals(DType.FLOAT64, f.mean().dtype());
    }

    @Test
    void rejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormKernels.train(Tensor.zeros(2, 3, 4), Tensor.ones(4), Tensor.zeros(3), EPS));
        assertEquals("batchNorm: expected weight of shape [3] for input [2, 3, 4], got [4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormKernels.train(Tensor.zeros(6), Tensor.ones(6), Tensor.zeros(6), EPS));
        assertEquals("batchNorm: expected an input (N, C, ...) of rank 2 or more, got [6]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormKernels.train(Tensor.zeros(0, 3), Tensor.ones(3), Tensor.zeros(3), EPS));
        assertTrue(e.getMessage().contains("no values per channel"), e.getMessage());
    }
}
