package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.PoolingKernels;

/** MaxPool2d, AvgPool2d and GlobalAvgPool2d as layers: known values, gradients, the functional ops, errors. */
class PoolingModulesTest {
    /** The 4x4 image 0..15, one sample and one channel. */
    private static Tensor ramp() {
        return Tensor.arange(16).reshape(1, 1, 4, 4);
    }

    @Test
    void maxPoolTakesTheLargestOfEachWindow() {
        Variable x = new Variable(ramp(), true);
        Variable y = new MaxPool2d(2).forward(x);
        assertArrayEquals(new float[] {5, 7, 13, 15}, y.data().toFloatArray());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}, x.grad().toFloatArray());
    }

    @Test
    void maxPoolSendsTheGradientToTheFirstOfTiedMaxima() {
        Variable x = new Variable(Tensor.fromArray(new float[] {3, 3, 3, 3}, 1, 1, 2, 2), true);
        new MaxPool2d(2).forward(x).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0}, x.grad().toFloatArray());
    }

    @Test
    void maxPoolWithPaddingNeverSelectsThePadding() {
        Tensor negative = ramp().sub(100);
        Variable y = new MaxPool2d(3, 2, 1).forward(new Variable(negative));
        // Windows rows/columns {-1, 0, 1} and {1, 2, 3}: the maxima sit at (1, 1), (1, 3), (3, 1), (3, 3).
        assertArrayEquals(new float[] {-95, -93, -87, -85}, y.data().toFloatArray());
    }

    @Test
    void avgPoolCountsThePaddingUnlessToldNot() {
        Tensor ones = Tensor.ones(1, 1, 3, 3);
        // 3x3 windows with padding 1: corners see 4 image cells, edges 6, the centre 9.
        assertArrayEquals(new float[] {4 / 9f, 6 / 9f, 4 / 9f, 6 / 9f, 1, 6 / 9f, 4 / 9f, 6 / 9f, 4 / 9f},
                new AvgPool2d(3, 1, 1).forward(new Variable(ones)).data().toFloatArray());
        float[] notCounted = new AvgPool2d(3, 1, 1, false).forward(new Variable(ones)).data().toFloatArray();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, notCounted);
    }

    @Test
    void avgPoolGradientIsOneOverTheDivisorPerWindow() {
        Variable x = new Variable(ramp(), true);
        Variable y = new AvgPool2d(2).forward(x);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, y.data().toFloatArray());
        y.sum().backward();
        float[] quarter = new float[16];
        Arrays.fill(quarter, 0.25f);
        assertArrayEquals(quarter, x.grad().toFloatArray());
    }

    @Test
    void globalAvgPoolAveragesEachPlane() {
        Variable x = new Variable(Tensor.arange(24).reshape(2, 3, 2, 2), true);
        Variable y = new GlobalAvgPool2d().forward(x);
        assertArrayEquals(new int[] {2, 3, 1, 1}, y.dims());
        assertArrayEquals(new float[] {1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}, y.data().toFloatArray());
        y.sum().backward();
        float[] quarter = new float[24];
        Arrays.fill(quarter, 0.25f);
        assertArrayEquals(quarter, x.grad().toFloatArray());
    }

    @Test
    void forwardIsTheFunctionalOp() {
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 9, 8);
        ConvGeometry stem = ConvGeometry.pooling("MaxPool2d", 3).stride(2).padding(1).build();
        assertArrayEquals(PoolingKernels.maxPool(x, stem).toFloatArray(),
                new MaxPool2d(3, 2, 1).forward(new Variable(x)).data().toFloatArray());
        ConvGeometry average = ConvGeometry.pooling("AvgPool2d", 3).stride(2).padding(1).build();
        assertArrayEquals(PoolingKernels.avgPool(x, average, false).toFloatArray(),
                new AvgPool2d(3, 2, 1, false).forward(new Variable(x)).data().toFloatArray());
        assertArrayEquals(PoolingKernels.globalAvgPool(x).toFloatArray(),
                new GlobalAvgPool2d().forward(new Variable(x)).data().toFloatArray());
    }

    @Test
    void poolsHaveNoParameters() {
        assertEquals(0, new Sequential(new MaxPool2d(2), new AvgPool2d(2), new GlobalAvgPool2d()).parameterCount());
    }

    @Test
    void describeThemselves() {
        assertEquals("MaxPool2d(k=3, s=2, p=1)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("MaxPool2d(k=2)", new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(k=3, s=1, p=1, count_include_pad=false)", new AvgPool2d(3, 1, 1, false).toString());
        assertEquals("AvgPool2d(k=2x3, s=1)",
                new AvgPool2d(ConvGeometry.pooling("AvgPool2d", 2, 3).stride(1).build(), true).toString());
        assertEquals("GlobalAvgPool2d", new GlobalAvgPool2d().toString());
    }

    @Test
    void rejectsBadWindowsAndInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertEquals("MaxPool2d(k=2, p=2): the padding 2 x 2 must be at most half the kernel 2 x 2, so that every"
                + " window overlaps the image", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(3, 2, 1).forward(new Variable(Tensor.zeros(2, 3, 8))));
        assertEquals("MaxPool2d(k=3, s=2, p=1): expected a 4-D input (N, C, H, W), got [2, 3, 8]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d(2).forward(new Variable(Tensor.zeros(1, 3, 1, 5))));
        assertEquals("AvgPool2d(k=2): input [1, 3, 1, 5] is too small: the output would be 0 x 2 (each output size"
                + " is (size + 2 padding - dilation (kernel - 1) - 1) / stride + 1, rounded down)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GlobalAvgPool2d().forward(new Variable(Tensor.zeros(2, 3))));
        assertEquals("GlobalAvgPool2d: expected a 4-D input (N, C, H, W), got [2, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(ConvGeometry.convolution(1, 1, 3).build()));
        assertEquals("MaxPool2d: Conv2d(1->1, k=3) is a convolution, not a pooling window", e.getMessage());
    }
}
