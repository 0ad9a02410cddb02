package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;
import static vista.tensor.kernels.KernelTesting.message;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/**
 * Convolution: geometry, known values, groups, strided views, both weight-gradient layouts, tiles, errors.
 * Fast against reference, threads and vector widths: {@link OpCatalogueTest} ({@code conv2d}).
 */
class ConvolutionTest {
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
    void epilogueKnownValues() {
        // out = x - x[+1, +1] + 10 is 6 everywhere; the residual -8, -5, 0, 3 makes -2, 1, 6, 9 and the ReLU 0, 1, 6, 9.
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3);
        Tensor w = Tensor.fromArray(new float[] {1, 0, 0, -1}, 1, 1, 2, 2);
        Tensor b = Tensor.fromArray(new float[] {10}, 1);
        Tensor r = Tensor.fromArray(new float[] {-8, -5, 0, 3}, 1, 1, 2, 2);
        ConvGeometry g = ConvGeometry.convolution(1, 1, 2).build();
        ConvolutionEpilogue all = new ConvolutionEpilogue(b, r, true);
        assertArrayEquals(new float[] {0, 1, 6, 9}, ConvolutionKernels.forward(x, w, g, all).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 6, 9}, ConvolutionReference.forward(x, w, g, all).toFloatArray());
        assertArrayEquals(new float[] {-2, 1, 6, 9},
                ConvolutionKernels.forward(x, w, g, new ConvolutionEpilogue(b, r, false)).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0},
                ConvolutionKernels.forward(x, w, g, new ConvolutionEpilogue(null, null, true)).toFloatArray());
    }

    @Test
    void epilogueWithABiasAloneKeepsThePlainForwardsBits() {
        Rng rng = new Rng(5);
        for (ConvGeometry g : new ConvGeometry[] {ConvGeometry.convolution(12, 20, 1).build(),
            ConvGeometry.convolution(12, 20, 3).padding(1).stride(2).build()}) {
            Tensor x = Tensor.randn(rng, 2, 12, 9, 11);
            Tensor w = Tensor.randn(rng, g.weightShape().dims());
            Tensor b = Tensor.randn(rng, 20);
            assertSameFloats(ConvolutionKernels.forward(x, w, b, g),
                    ConvolutionKernels.forward(x, w, g, new ConvolutionEpilogue(b, null, false)), g + " with a bias");
            assertSameFloats(ConvolutionKernels.forward(x, w, null, g),
                    ConvolutionKernels.forward(x, w, g, ConvolutionEpilogue.NONE), g + " without a bias");
        }
    }

    @Test
    void epilogueAcceptsAResidualViewAndRejectsAWrongShape() {
        Rng rng = new Rng(6);
        ConvGeometry g = ConvGeometry.convolution(4, 6, 3).padding(1).build();
        Tensor x = Tensor.randn(rng, 2, 4, 5, 7);
        Tensor w = Tensor.randn(rng, 6, 4, 3, 3);
        Tensor r = Tensor.randn(rng, 2, 6, 7, 5).transpose(2, 3);
        assertSameFloats(ConvolutionKernels.forward(x, w, g, new ConvolutionEpilogue(null, r.contiguous(), true)),
                ConvolutionKernels.forward(x, w, g, new ConvolutionEpilogue(null, r, true)), "residual view");
        assertEquals("Conv2d(4->6, k=3, p=1): the residual added in the epilogue must have the output's shape "
                + "[2, 6, 5, 7], got [2, 6, 5, 6]", message(() -> ConvolutionKernels.forward(x, w, g,
                        new ConvolutionEpilogue(null, Tensor.zeros(2, 6, 5, 6), false))));
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

    /** A tile limited to some output channels computes each of them exactly as a tile holding all of them. */
    @Test
    void splittingOutputChannelsAmongTilesGivesTheSameBits() {
        Rng rng = new Rng(16);
        ConvGeometry[] geometries = {
            ConvGeometry.convolution(24, 40, 3).padding(1).build(),
            ConvGeometry.convolution(24, 40, 1).build(),
            ConvGeometry.convolution(24, 36, 3).stride(2).padding(1).groups(2).build(),
        };
        for (ConvGeometry g : geometries) {
            Tensor x = Tensor.randn(rng, 1, g.inChannels(), 7, 7);
            Tensor bias = Tensor.randn(rng, g.outChannels());
            Tensor residual = Tensor.randn(rng, g.outputShape(x.shape()).dims());
            Tensor w = Tensor.randn(rng, g.weightShape().dims());
            ConvolutionEpilogue epilogue = new ConvolutionEpilogue(bias, residual, true);
            Tensor whole = ConvolutionFast.forward(x, w, g, epilogue, g.outChannelsPerGroup());
            for (int rows : new int[] {1, 8, 13}) {
                assertSameFloats(whole, ConvolutionFast.forward(x, w, g, epilogue, rows),
                        g + ": tiles of " + rows + " output channels");
            }
        }
    }

    @Test
    void forwardTilesSplitOutputChannelsOnlyWhenUnitsAreFewForTheThreads() {
        ConvGeometry g = ConvGeometry.convolution(256, 512, 3).padding(1).build();
        ConvolutionFast.Plan oneImage = plan(g, new int[] {1, 256, 7, 7});
        assertEquals(512, oneImage.outputRowsPerTile(1), "one thread never splits");
        assertEquals(256, oneImage.outputRowsPerTile(2), "2 blocks of positions x 2 channel ranges: 2 per thread");
        assertEquals(128, oneImage.outputRowsPerTile(4));
        assertEquals(512, plan(g, new int[] {64, 256, 7, 7}).outputRowsPerTile(2), "a training batch: no split");
        ConvGeometry small = ConvGeometry.convolution(8, 16, 1).build();
        assertEquals(16, plan(small, new int[] {1, 8, 7, 7}).outputRowsPerTile(2), "too little work to split");
    }

    private static ConvolutionFast.Plan plan(ConvGeometry g, int[] input) {
        Shape in = Shape.of(input);
        return new ConvolutionFast.Plan(g, in, g.outputShape(in));
    }
}
