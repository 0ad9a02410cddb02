package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;
import static vista.tensor.kernels.KernelTesting.message;
import static vista.tensor.kernels.PoolingEntries.poolingWindow;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/**
 * Pooling: PyTorch's tie, NaN and padding rules, strided views, float64, errors. Fast against reference,
 * threads and vector widths: {@link OpCatalogueTest} ({@code maxpool2d}, {@code avgpool2d},
 * {@code global_avgpool}).
 */
class PoolingTest {
    @Test
    void stridedViewsGiveTheResultsOfContiguousCopies() {
        Tensor x = Tensor.randn(new Rng(1), 2, 9, 3, 7).permute(0, 2, 3, 1);
        ConvGeometry w = poolingWindow(3, 3, 2, 2, 1, 1);
        assertSameFloats(PoolingKernels.maxPool(x.contiguous(), w), PoolingKernels.maxPool(x, w), "max pool of a permuted view");
        assertSameFloats(PoolingKernels.avgPool(x.contiguous(), w, true), PoolingKernels.avgPool(x, w, true), "avg pool of a view");
        assertSameFloats(PoolingReference.maxPool(x.contiguous(), w), PoolingReference.maxPool(x, w), "reference");
        Tensor gy = Tensor.randn(new Rng(2), 2, 5, 4, 3).transpose(1, 3);
        assertSameFloats(PoolingKernels.maxPoolBackward(gy.contiguous(), x, w), PoolingKernels.maxPoolBackward(gy, x, w),
                "max pool gradient from a transposed view");
    }

    @Test
    void maxPoolTiesGoToTheFirstCellInWindowOrder() {
        // Window [[2, 7], [7, 1]]: the maximum 7 appears twice; the gradient goes to (0, 1), scanned first.
        Tensor x = Tensor.fromArray(new float[] {2, 7, 7, 1}, 1, 1, 2, 2);
        ConvGeometry w = poolingWindow(2, 2, 2, 2, 0, 0);
        Tensor g = Tensor.ones(1, 1, 1, 1);
        for (Tensor dx : new Tensor[] {PoolingKernels.maxPoolBackward(g, x, w), PoolingReference.maxPoolBackward(g, x, w)}) {
            assertArrayEquals(new float[] {0, 1, 0, 0}, dx.toFloatArray());
        }
    }

    /**
     * On a constant image every window is a tie: each gradient goes to its window's first cell, in the
     * vectors of windows as in the scalar edges (windows that do not overlap, so each cell gets at most
     * one gradient and the double reference has the same bits).
     */
    @Test
    void tiesAreBrokenTheSameWayInVectorsOfWindows() {
        Tensor x = Tensor.full(0.5, 1, 2, 4, 90);
        ConvGeometry w = poolingWindow(2, 2, 2, 2, 0, 0);
        Tensor g = Tensor.randn(new Rng(5), 1, 2, 2, 45);
        assertSameFloats(PoolingReference.maxPoolBackward(g, x, w), PoolingFast.maxPoolBackward(g, x, w),
                "max pool gradient with all windows tied");
        Tensor nan = x.copy();
        nan.set(Float.NaN, 0, 1, 2, 20);
        nan.set(Float.NaN, 0, 1, 3, 21);
        assertSameFloats(PoolingReference.maxPool(nan, w), PoolingFast.maxPool(nan, w), "max pool with NaN");
        assertSameFloats(PoolingReference.maxPoolBackward(g, nan, w), PoolingFast.maxPoolBackward(g, nan, w),
                "max pool gradient with NaN: the last NaN of each window");
    }

    @Test
    void maxPoolPropagatesNaNAsPyTorchDoes() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 9, Float.NaN}, 1, 1, 2, 2);
        ConvGeometry w = poolingWindow(2, 2, 2, 2, 0, 0);
        assertTrue(Float.isNaN(PoolingKernels.maxPool(x, w).toFloatArray()[0]));
        assertTrue(Double.isNaN(PoolingReference.maxPool(x, w).item()));
        // PyTorch replaces the maximum by every NaN it meets, so the gradient goes to the last NaN.
        Tensor g = Tensor.ones(1, 1, 1, 1);
        assertArrayEquals(new float[] {0, 0, 0, 1}, PoolingKernels.maxPoolBackward(g, x, w).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 1}, PoolingReference.maxPoolBackward(g, x, w).toFloatArray());
    }

    @Test
    void aWindowOfMinusInfinityRoutesItsGradientToItsFirstCellInsideTheImage() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.fromArray(new float[] {inf, inf, inf, inf}, 1, 1, 2, 2);
        ConvGeometry w = poolingWindow(3, 3, 2, 2, 1, 1);
        assertArrayEquals(new float[] {inf}, PoolingKernels.maxPool(x, w).toFloatArray());
        Tensor g = Tensor.ones(1, 1, 1, 1);
        assertArrayEquals(new float[] {1, 0, 0, 0}, PoolingKernels.maxPoolBackward(g, x, w).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, PoolingReference.maxPoolBackward(g, x, w).toFloatArray());
    }

    @Test
    void avgPoolDivisorsAtTheBorder() {
        // A 2x3 image of ones, 3x3 windows with stride 1 and padding 1: each window holds 4 or 6 image cells.
        Tensor ones = Tensor.ones(1, 1, 2, 3);
        ConvGeometry w = poolingWindow(3, 3, 1, 1, 1, 1);
        float[] counted = {4 / 9f, 6 / 9f, 4 / 9f, 4 / 9f, 6 / 9f, 4 / 9f};
        assertArrayEquals(counted, PoolingKernels.avgPool(ones, w, true).toFloatArray());
        assertArrayEquals(counted, PoolingReference.avgPool(ones, w, true).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, PoolingKernels.avgPool(ones, w, false).toFloatArray());
        // Backward without counting the padding: cell (0, 0) lies in the 4 windows of (0..1, 0..1): 1/4 + 1/6 + 1/4 + 1/6.
        float[] dx = PoolingKernels.avgPoolBackward(Tensor.ones(1, 1, 2, 3), ones.shape(), w, false).toFloatArray();
        assertEquals(1 / 4f + 1 / 6f + 1 / 4f + 1 / 6f, dx[0], 1e-6);
    }

    @Test
    void float64RunsTheReference() {
        Tensor x = Tensor.randn(new Rng(3), 1, 2, 5, 5).to(DType.FLOAT64);
        ConvGeometry w = poolingWindow(3, 3, 2, 2, 1, 1);
        assertEquals(DType.FLOAT64, PoolingKernels.maxPool(x, w).dtype());
        KernelTesting.assertSameBits(PoolingReference.avgPool(x, w, true), PoolingKernels.avgPool(x, w, true), "float64 avg pool");
        assertEquals(DType.FLOAT64, PoolingKernels.globalAvgPool(x).dtype());
    }

    @Test
    void rejectsBadShapesNamingTheLayer() {
        ConvGeometry stem = ConvGeometry.pooling("MaxPool2d", 3).stride(2).padding(1).build();
        assertEquals("MaxPool2d(k=3, s=2, p=1): expected an output gradient of shape [1, 2, 3, 3] for input"
                + " [1, 2, 5, 5], got [1, 2, 5, 5]",
                message(() -> PoolingKernels.maxPoolBackward(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(1, 2, 5, 5), stem)));
        assertEquals("Conv2d(2->2, k=3) is a convolution, not a pooling window; make one with ConvGeometry.pooling",
                message(() -> PoolingKernels.maxPool(Tensor.zeros(1, 2, 5, 5), ConvGeometry.convolution(2, 2, 3).build())));
        assertEquals("GlobalAvgPool2d: input [1, 2, 0, 5] has no pixels to average",
                message(() -> PoolingKernels.globalAvgPool(Tensor.zeros(1, 2, 0, 5))));
        assertEquals("GlobalAvgPool2d: expected an output gradient of shape [1, 2, 1, 1] for input [1, 2, 4, 5], got"
                + " [1, 2]", message(() -> PoolingKernels.globalAvgPoolBackward(Tensor.zeros(1, 2), Shape.of(1, 2, 4, 5))));
        assertEquals("AvgPool2d(k=2, g=2): pooling has no groups, got 2",
                message(() -> ConvGeometry.pooling("AvgPool2d", 2).groups(2).build()));
        assertEquals("AvgPool2d(k=2, d=2): pooling supports dilation 1 only, got 2 x 2",
                message(() -> ConvGeometry.pooling("AvgPool2d", 2).dilation(2).build()));
    }
}
