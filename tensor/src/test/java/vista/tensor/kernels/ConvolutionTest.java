package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Parallel;

/** Convolution: geometry, known values, fast against reference on awkward shapes, determinism, errors. */
class ConvolutionTest {
    /**
     * Tolerance of the float32 fast kernel against the double reference, relative to the sum of the
     * absolute values of an element's terms: a float chain of n terms errs by at most about n 2^-24 of
     * that sum, and by about sqrt(n) 2^-24 in practice; 2^-14 leaves room for the longest chains here and
     * still catches one wrong term (whose size is about 1/n of the sum).
     */
    private static final double RELATIVE_TOLERANCE = 0x1p-14;

    /** One convolution to test: input shape (N, C_in, H, W), geometry, and whether it has a bias. */
    record Case(String name, int batch, int height, int width, ConvGeometry geometry, boolean bias) {
        @Override
        public String toString() {
            return name + ": " + geometry + " on [" + batch + ", " + geometry.inChannels() + ", " + height + ", "
                    + width + "]" + (bias ? "" : " without bias");
        }
    }

    static Stream<Case> awkwardShapes() {
        return Stream.of(
                new Case("batch 1, 3x3 s1 p1", 1, 5, 6, ConvGeometry.convolution(3, 4, 3).padding(1).build(), true),
                new Case("odd sizes", 3, 7, 9, ConvGeometry.convolution(5, 7, 3).build(), true),
                new Case("1x1", 2, 5, 7, ConvGeometry.convolution(6, 5, 1).build(), true),
                new Case("1x1 stride 2", 2, 7, 9, ConvGeometry.convolution(6, 10, 1).stride(2).build(), false),
                new Case("3x3 s2 p1", 2, 9, 11, ConvGeometry.convolution(4, 6, 3).stride(2).padding(1).build(), true),
                new Case("7x7 s2 p3 (a stem)", 1, 17, 15,
                        ConvGeometry.convolution(3, 8, 7).stride(2).padding(3).build(), false),
                new Case("5x5 p0", 2, 9, 8, ConvGeometry.convolution(3, 5, 5).build(), true),
                new Case("groups 4", 2, 6, 7, ConvGeometry.convolution(8, 12, 3).padding(1).groups(4).build(), true),
                new Case("depthwise", 2, 7, 6, ConvGeometry.convolution(6, 6, 3).padding(1).groups(6).build(), false),
                new Case("dilation 2", 2, 11, 9,
                        ConvGeometry.convolution(3, 4, 3).padding(2).dilation(2).build(), true),
                new Case("rectangular image 7x10", 2, 7, 10,
                        ConvGeometry.convolution(4, 3, 3).padding(1).build(), true),
                new Case("rectangular kernel, stride, padding, dilation", 2, 10, 13,
                        ConvGeometry.convolution(4, 6, 3, 2).stride(2, 1).padding(1, 2).dilation(1, 3).groups(2).build(),
                        true),
                new Case("width smaller than a vector", 2, 6, 3,
                        ConvGeometry.convolution(3, 5, 3).padding(1).build(), true),
                new Case("padding larger than the kernel", 1, 4, 5,
                        ConvGeometry.convolution(2, 3, 3).padding(4).stride(3).build(), true),
                new Case("kernel as large as the padded image", 2, 3, 4,
                        ConvGeometry.convolution(2, 3, 5, 6).padding(1).build(), true),
                new Case("several position blocks and channel tiles", 2, 37, 29,
                        ConvGeometry.convolution(20, 9, 3).padding(1).build(), true),
                new Case("16 channels, 3x3 s2 p1 (channels-last weight gradient)", 2, 9, 11,
                        ConvGeometry.convolution(16, 8, 3).stride(2).padding(1).build(), false),
                new Case("2 groups of 16 channels, 3x2 kernel, dilation (2, 3)", 1, 10, 12,
                        ConvGeometry.convolution(32, 6, 3, 2).padding(2, 1).dilation(2, 3).groups(2).build(), true),
                new Case("1x1 from 48 channels", 2, 5, 9, ConvGeometry.convolution(48, 7, 1).build(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardShapes")
    void fastMatchesReference(Case c) {
        Rng rng = new Rng(c.name().hashCode());
        ConvGeometry g = c.geometry();
        Tensor x = Tensor.randn(rng, c.batch(), g.inChannels(), c.height(), c.width());
        Tensor w = Tensor.randn(rng, g.weightShape().dims());
        Tensor b = c.bias() ? Tensor.randn(rng, g.outChannels()) : null;
        Tensor out = ConvolutionReference.forward(x, w, b, g);
        Tensor gy = Tensor.randn(rng, out.dims());
        assertClose(out, ConvolutionFast.forward(x, w, b, g),
                ConvolutionReference.forward(x.abs(), w.abs(), b == null ? null : b.abs(), g), c + ": forward");
        assertClose(ConvolutionReference.backwardInput(gy, w, x.shape(), g),
                ConvolutionFast.backwardInput(gy, w, x.shape(), g),
                ConvolutionReference.backwardInput(gy.abs(), w.abs(), x.shape(), g), c + ": input gradient");
        assertClose(ConvolutionReference.backwardWeight(gy, x, g), ConvolutionFast.backwardWeight(gy, x, g),
                ConvolutionReference.backwardWeight(gy.abs(), x.abs(), g), c + ": weight gradient");
        assertClose(ConvolutionReference.backwardBias(gy), ConvolutionKernels.backwardBias(gy),
                ConvolutionReference.backwardBias(gy.abs()), c + ": bias gradient");
    }

    /** |fast - reference| <= RELATIVE_TOLERANCE * (sum of |terms|) for every element. */
    private static void assertClose(Tensor reference, Tensor fast, Tensor magnitude, String what) {
        assertEquals(DType.FLOAT32, fast.dtype(), what + ": dtype");
        double[] tolerance = magnitude.toDoubleArray();
        for (int i = 0; i < tolerance.length; i++) {
            tolerance[i] = tolerance[i] * RELATIVE_TOLERANCE + Float.MIN_NORMAL;
        }
        KernelTesting.assertClose(reference, fast, tolerance, what);
    }

    @Test
    void stridedViewsGiveTheResultsOfContiguousCopies() {
        Rng rng = new Rng(11);
        ConvGeometry g = ConvGeometry.convolution(3, 4, 3).padding(1).stride(2).build();
        Tensor wide = Tensor.randn(rng, 2, 3, 7, 12);
        Tensor x = wide.slice(3, 2, 11);
        Tensor w = Tensor.randn(rng, 3, 4, 3, 3).permute(1, 0, 2, 3);
        Tensor gy = Tensor.randn(rng, 2, 4, 5, 4).transpose(2, 3);
        assertSameFloats(ConvolutionKernels.forward(x.contiguous(), w.contiguous(), null, g), ConvolutionKernels.forward(x, w, null, g),
                "forward of views");
        assertSameFloats(ConvolutionReference.forward(x.contiguous(), w.contiguous(), null, g),
                ConvolutionReference.forward(x, w, null, g), "reference forward of views");
        assertSameFloats(ConvolutionKernels.backwardWeight(gy, x.contiguous(), g), ConvolutionKernels.backwardWeight(gy, x, g),
                "weight gradient of a view");
        assertSameFloats(ConvolutionKernels.backwardInput(gy, w.contiguous(), x.shape(), g),
                ConvolutionKernels.backwardInput(gy, w, x.shape(), g), "input gradient with a permuted weight");
    }

    @Test
    void knownValues() {
        // A 3x3 image 1..9, a 2x2 kernel [[1, 0], [0, -1]] plus bias 10: out[i, j] = x[i, j] - x[i+1, j+1] + 10.
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3);
        Tensor w = Tensor.fromArray(new float[] {1, 0, 0, -1}, 1, 1, 2, 2);
        Tensor b = Tensor.fromArray(new float[] {10}, 1);
        ConvGeometry g = ConvGeometry.convolution(1, 1, 2).build();
        assertArrayEquals(new float[] {6, 6, 6, 6}, ConvolutionKernels.forward(x, w, b, g).toFloatArray());
        assertArrayEquals(new float[] {6, 6, 6, 6}, ConvolutionReference.forward(x, w, b, g).toFloatArray());
        // Padding 1, stride 2: windows start at rows and columns -1 and 1;
        // out = x[2i - 1, 2j - 1] - x[2i, 2j], with x = 0 in the padding.
        ConvGeometry padded = ConvGeometry.convolution(1, 1, 2).padding(1).stride(2).build();
        assertArrayEquals(new float[] {-1, -3, -7, -4}, ConvolutionKernels.forward(x, w, null, padded).toFloatArray());
        // dL/dx of sum(out): each x[y, z] gets w[0,0] for every output that reads it there, plus w[1,1] likewise.
        Tensor ones = Tensor.ones(1, 1, 2, 2);
        assertArrayEquals(new float[] {1, 1, 0, 1, 0, -1, 0, -1, -1},
                ConvolutionKernels.backwardInput(ones, w, x.shape(), g).toFloatArray());
        // dL/dw[u, v] of sum(out) = sum of the 2x2 window of x at offset (u, v).
        assertArrayEquals(new float[] {12, 16, 24, 28}, ConvolutionKernels.backwardWeight(ones, x, g).toFloatArray());
        assertArrayEquals(new float[] {4}, ConvolutionKernels.backwardBias(ones).toFloatArray());
    }

    @Test
    void groupsOnlyMixChannelsWithinAGroup() {
        // Two groups of one channel each: output 0 sees only channel 0, output 1 only channel 1.
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Tensor w = Tensor.fromArray(new float[] {1, 2}, 2, 1, 1, 1);
        ConvGeometry g = ConvGeometry.convolution(2, 2, 1).groups(2).build();
        assertArrayEquals(new float[] {1, 2, 3, 4, 20, 40, 60, 80}, ConvolutionKernels.forward(x, w, null, g).toFloatArray());
    }

    @Test
    void outputSizesFollowPyTorchsFormula() {
        ConvGeometry g = ConvGeometry.convolution(1, 1, 3).stride(2).padding(1).build();
        assertEquals(28, g.outputHeight(56));
        assertEquals(28, g.outputWidth(55));
        ConvGeometry dilated = ConvGeometry.convolution(1, 1, 3).dilation(2).build();
        assertEquals(1, dilated.outputHeight(5));
        assertEquals(0, dilated.outputHeight(4));
        assertEquals(-1, ConvGeometry.convolution(1, 1, 7).stride(2).build().outputHeight(3));
        assertEquals(Shape.of(8, 64, 56, 56),
                ConvGeometry.convolution(3, 64, 7).stride(2).padding(3).build().outputShape(Shape.of(8, 3, 112, 111)));
    }

    @Test
    void describesItselfAsALayer() {
        assertEquals("Conv2d(64->128, k=3, s=2, p=1)",
                ConvGeometry.convolution(64, 128, 3).stride(2).padding(1).build().toString());
        assertEquals("Conv2d(4->6, k=3x2, s=2x1, p=1x2, d=1x3, g=2)",
                ConvGeometry.convolution(4, 6, 3, 2).stride(2, 1).padding(1, 2).dilation(1, 3).groups(2).build()
                        .toString());
        assertEquals("MaxPool2d(k=3, s=2, p=1)",
                ConvGeometry.pooling("MaxPool2d", 3).stride(2).padding(1).build().toString());
        assertEquals("AvgPool2d(k=2)", ConvGeometry.pooling("AvgPool2d", 2).build().toString());
    }

    @Test
    void rejectsBadSettingsWithSentences() {
        assertEquals("Conv2d(6->8, k=3, g=4): input channels 6 are not divisible by groups 4",
                message(() -> ConvGeometry.convolution(6, 8, 3).groups(4).build()));
        assertEquals("Conv2d(8->6, k=3, g=4): output channels 6 are not divisible by groups 4",
                message(() -> ConvGeometry.convolution(8, 6, 3).groups(4).build()));
        assertEquals("Conv2d(3->4, k=0): the kernel must be at least 1 x 1, got 0 x 0",
                message(() -> ConvGeometry.convolution(3, 4, 0).build()));
        assertEquals("Conv2d(3->4, k=3, s=0): the stride must be at least 1, got 0 x 0",
                message(() -> ConvGeometry.convolution(3, 4, 3).stride(0).build()));
        assertEquals("Conv2d(3->4, k=3, p=-1): the padding must not be negative, got -1 x -1",
                message(() -> ConvGeometry.convolution(3, 4, 3).padding(-1).build()));
        assertEquals("Conv2d(3->4, k=3, d=0): the dilation must be at least 1, got 0 x 0",
                message(() -> ConvGeometry.convolution(3, 4, 3).dilation(0).build()));
        assertEquals("Conv2d(0->4, k=3): channels must be at least 1, got 0 input and 4 output channels",
                message(() -> ConvGeometry.convolution(0, 4, 3).build()));
        assertEquals("MaxPool2d(k=2, p=2): the padding 2 x 2 must be at most half the kernel 2 x 2, so that every"
                + " window overlaps the image", message(() -> ConvGeometry.pooling("MaxPool2d", 2).padding(2).build()));
    }

    @Test
    void rejectsBadShapesNamingTheLayerAndShapes() {
        ConvGeometry g = ConvGeometry.convolution(64, 128, 3).build();
        Tensor w = Tensor.zeros(128, 64, 3, 3);
        assertEquals("Conv2d(64->128, k=3): expected input with 64 channels, got [8, 32, 28, 28]",
                message(() -> ConvolutionKernels.forward(Tensor.zeros(8, 32, 28, 28), w, null, g)));
        assertEquals("Conv2d(64->128, k=3): expected a 4-D input (N, C, H, W), got [64, 28, 28]",
                message(() -> ConvolutionKernels.forward(Tensor.zeros(64, 28, 28), w, null, g)));
        assertEquals("Conv2d(64->128, k=3): input [1, 64, 2, 9] is too small: the output would be 0 x 7 (each output"
                + " size is (size + 2 padding - dilation (kernel - 1) - 1) / stride + 1, rounded down)",
                message(() -> ConvolutionKernels.forward(Tensor.zeros(1, 64, 2, 9), w, null, g)));
        assertEquals("Conv2d(64->128, k=3): expected a weight of shape [128, 64, 3, 3] (out, in / groups, kernel height,"
                + " kernel width), got [128, 64, 3, 1]",
                message(() -> ConvolutionKernels.forward(Tensor.zeros(1, 64, 5, 5), Tensor.zeros(128, 64, 3, 1), null, g)));
        assertEquals("Conv2d(64->128, k=3): expected a bias of shape [128], got [64]",
                message(() -> ConvolutionKernels.forward(Tensor.zeros(1, 64, 5, 5), w, Tensor.zeros(64), g)));
        assertEquals("Conv2d(64->128, k=3): expected an output gradient of shape [1, 128, 3, 3] for input"
                + " [1, 64, 5, 5], got [1, 128, 5, 5]",
                message(() -> ConvolutionKernels.backwardWeight(Tensor.zeros(1, 128, 5, 5), Tensor.zeros(1, 64, 5, 5), g)));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void float64RunsTheReferenceInDoublePrecision() {
        Rng rng = new Rng(12);
        ConvGeometry g = ConvGeometry.convolution(2, 3, 3).padding(1).build();
        Tensor x = Tensor.randn(rng, 1, 2, 4, 5);
        Tensor w = Tensor.randn(rng, 3, 2, 3, 3);
        Tensor out = ConvolutionKernels.forward(x.to(DType.FLOAT64), w, null, g);
        assertEquals(DType.FLOAT64, out.dtype());
        KernelTesting.assertSameBits(ConvolutionReference.forward(x.to(DType.FLOAT64), w.to(DType.FLOAT64), null, g), out,
                "float64 forward");
    }

    /**
     * Shapes with several tiles everywhere (position blocks, input-channel tiles, weight-gradient runs,
     * GEMM blocks inside the tiles, and, for 256 output channels, GEMMs large enough to fork inside a
     * tile) give the same bits with 1, 2 and 3 threads.
     */
    @Test
    void sameBitsForAnyThreadCount() {
        Rng rng = new Rng(13);
        ConvGeometry g = ConvGeometry.convolution(40, 72, 3).padding(1).build();
        Tensor x = Tensor.randn(rng, 3, 40, 30, 33);
        Tensor w = Tensor.randn(rng, 72, 40, 3, 3);
        Tensor b = Tensor.randn(rng, 72);
        Tensor gy = Tensor.randn(rng, 3, 72, 30, 33);
        ConvGeometry pointwise = ConvGeometry.convolution(40, 24, 1).build();
        Tensor wp = Tensor.randn(rng, 24, 40, 1, 1);
        Tensor gp = Tensor.randn(rng, 3, 24, 30, 33);
        ConvGeometry wide = ConvGeometry.convolution(64, 256, 3).padding(1).build();
        Tensor xw = Tensor.randn(rng, 2, 64, 20, 20);
        Tensor ww = Tensor.randn(rng, 256, 64, 3, 3);
        Tensor gw = Tensor.randn(rng, 2, 256, 20, 20);
        Tensor[] one = runAll(1, g, x, w, b, gy, pointwise, wp, gp);
        Tensor[] oneWide = runWide(1, wide, xw, ww, gw);
        for (int threads : new int[] {2, 3}) {
            Tensor[] many = runAll(threads, g, x, w, b, gy, pointwise, wp, gp);
            for (int i = 0; i < one.length; i++) {
                assertSameFloats(one[i], many[i], "result " + i + " with " + threads + " threads");
            }
            Tensor[] manyWide = runWide(threads, wide, xw, ww, gw);
            for (int i = 0; i < oneWide.length; i++) {
                assertSameFloats(oneWide[i], manyWide[i], wide + ", result " + i + " with " + threads + " threads");
            }
        }
    }

    private static Tensor[] runWide(int threads, ConvGeometry g, Tensor x, Tensor w, Tensor gy) {
        return Parallel.withThreads(threads, () -> new Tensor[] {
            ConvolutionFast.forward(x, w, null, g),
            ConvolutionFast.backwardInput(gy, w, x.shape(), g),
            ConvolutionFast.backwardWeight(gy, x, g),
        });
    }

    private static Tensor[] runAll(int threads, ConvGeometry g, Tensor x, Tensor w, Tensor b, Tensor gy,
            ConvGeometry pointwise, Tensor wp, Tensor gp) {
        return Parallel.withThreads(threads, () -> new Tensor[] {
            ConvolutionFast.forward(x, w, b, g),
            ConvolutionFast.backwardInput(gy, w, x.shape(), g),
            ConvolutionFast.backwardWeight(gy, x, g),
            ConvolutionKernels.backwardBias(gy),
            ConvolutionFast.forward(x, wp, null, pointwise),
            ConvolutionFast.backwardInput(gp, wp, x.shape(), pointwise),
            ConvolutionFast.backwardWeight(gp, x, pointwise),
        });
    }

    /** Building cols from a channels-last copy of the input changes the layout, never the sums. */
    @Test
    void bothWeightGradientLayoutsGiveTheSameBits() {
        Rng rng = new Rng(15);
        ConvGeometry[] geometries = {
            ConvGeometry.convolution(16, 5, 3).padding(1).build(),
            ConvGeometry.convolution(16, 6, 3).stride(2).padding(1).build(),
            ConvGeometry.convolution(16, 4, 3, 2).padding(2, 0).dilation(2, 3).groups(2).build(),
            ConvGeometry.convolution(16, 4, 1).build(),
            ConvGeometry.convolution(16, 8, 1).stride(2).groups(4).build(),
            ConvGeometry.convolution(3, 4, 5).padding(2).build(),
        };
        for (ConvGeometry g : geometries) {
            Tensor x = Tensor.randn(rng, 2, g.inChannels(), 13, 10);
            Tensor gy = Tensor.randn(rng, g.outputShape(x.shape()).dims());
            assertSameFloats(ConvolutionFast.backwardWeight(gy, x, g, false), ConvolutionFast.backwardWeight(gy, x, g, true),
                    g + ": channels-last against channels-first cols");
        }
    }

    @Test
    void weightGradientTilesDependOnTheShapeOnly() {
        assertEquals(1, ConvolutionFast.weightTiles(1, 100));
        assertEquals(5, ConvolutionFast.weightTiles(5, 100));
        assertEquals(ConvolutionFast.WEIGHT_TILES, ConvolutionFast.weightTiles(1000, 100));
        assertEquals(3, ConvolutionFast.weightTiles(1000, 512 * 512 * 9));
        assertEquals(1, ConvolutionFast.weightTiles(1000, Integer.MAX_VALUE / 2));
    }

    /**
     * The fast convolution and pooling kernels give the same bits with narrower vectors (a fresh JVM with
     * {@code vista.vector.bits}).
     */
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        WidthProbes.assertSameLinesForEveryVectorWidth(WidthProbe.class, WidthProbe.results());
    }

    /** Prints a hash of the bits of fast convolution and pooling results, for {@link #sameBitsForEveryVectorWidth}. */
    public static final class WidthProbe {
        private WidthProbe() {
        }

        public static void main(String[] args) {
            WidthProbes.stableResults(WidthProbe::results).forEach(System.out::println);
        }

        static List<String> results() {
            Rng rng = new Rng(14);
            ConvGeometry g = ConvGeometry.convolution(16, 10, 3).padding(1).build();
            ConvGeometry strided = ConvGeometry.convolution(16, 4, 3).padding(1).stride(2).dilation(2).groups(4).build();
            Tensor x = Tensor.randn(rng, 2, 16, 19, 23);
            Tensor w = Tensor.randn(rng, 10, 16, 3, 3);
            Tensor ws = Tensor.randn(rng, 4, 4, 3, 3);
            Tensor gy = Tensor.randn(rng, 2, 10, 19, 23);
            Tensor gs = Tensor.randn(rng, 2, 4, 9, 11);
            Tensor wide = Tensor.randn(rng, 1, 3, 6, 77);
            ConvGeometry stem = ConvGeometry.pooling("MaxPool2d", 3).stride(2).padding(1).build();
            ConvGeometry sliding = ConvGeometry.pooling("AvgPool2d", 3).stride(1).padding(1).build();
            Tensor gw = Tensor.randn(rng, 1, 3, 3, 39);
            List<String> out = new ArrayList<>();
            for (Tensor t : new Tensor[] {
                PoolingFast.maxPool(wide, stem),
                PoolingFast.maxPoolBackward(gw, wide, stem),
                PoolingFast.avgPool(wide, sliding, false),
                ConvolutionFast.forward(x, w, Tensor.randn(rng, 10), g),
                ConvolutionFast.backwardInput(gy, w, x.shape(), g),
                ConvolutionFast.backwardWeight(gy, x, g),
                ConvolutionFast.forward(x, ws, null, strided),
                ConvolutionFast.backwardInput(gs, ws, x.shape(), strided),
                ConvolutionFast.backwardWeight(gs, x, strided),
            }) {
                out.add(WidthProbes.hash(t));
            }
            return out;
        }
    }
}
