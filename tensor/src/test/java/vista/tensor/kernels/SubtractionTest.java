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
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SanEntries.San;

/**
 * SAN's subtraction: a hand computation, writing into a slice, strided views, float64, errors. Fast
 * against reference (the forward result bit for bit), threads and vector widths: {@link OpCatalogueTest}
 * ({@code san_subtraction2}).
 */
class SubtractionTest {
    private static final OpEntry<San> SUBTRACTION = SanEntries.sanSubtraction2();

    /**
     * x1 = 10 x and x2 = x for x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], k = 3: the top-left pixel's centre
     * is 10 and its neighbours are {@link SanTesting#CORNER_REFLECTED} (or {@link SanTesting#CORNER_ZERO}).
     * With a gradient of 1 on all nine of its neighbours and 0 elsewhere, dL/dx1 is 9 at that pixel, and
     * dL/dx2 is minus the number of times each pixel is read: x[1, 1] four times under reflection.
     */
    @Test
    void referenceAndFastMatchAHandComputation() {
        Tensor x2 = SanTesting.oneToNine();
        Tensor x1 = x2.mul(10);
        Tensor gradOutput = Tensor.zeros(1, 1, 9, 9);
        for (int k = 0; k < 9; k++) {
            gradOutput.set(1, 0, 0, k, 0);
        }
        Shape input = x1.shape();
        Footprint reflect = Footprint.of(3);
        Footprint zero = new Footprint(3, 1, 1, Padding.ZERO);
        double[] reflected = new double[9];
        double[] zeroPadded = new double[9];
        for (int k = 0; k < 9; k++) {
            reflected[k] = 10 - SanTesting.CORNER_REFLECTED[k];
            zeroPadded[k] = 10 - SanTesting.CORNER_ZERO[k];
        }
        for (boolean fast : new boolean[] {false, true}) {
            String who = fast ? "fast" : "reference";
            Tensor r = fast ? SubtractionFast.forward(x1, x2, reflect) : SubtractionReference.forward(x1, x2, reflect);
            assertArrayEquals(reflected, SanTesting.neighboursOf(r, 0), who + ": top-left pixel under reflection");
            Tensor rZero = fast ? SubtractionFast.forward(x1, x2, zero) : SubtractionReference.forward(x1, x2, zero);
            assertArrayEquals(zeroPadded, SanTesting.neighboursOf(rZero, 0), who + ": top-left pixel, zero padding");
            SubtractionKernels.Gradients g = fast ? SubtractionFast.backward(gradOutput, input, reflect)
                    : SubtractionReference.backward(gradOutput, input, reflect);
            assertArrayEquals(new double[] {9, 0, 0, 0, 0, 0, 0, 0, 0}, g.x1().toDoubleArray(), who + ": dL/dx1");
            assertArrayEquals(new double[] {-1, -2, 0, -2, -4, 0, 0, 0, 0}, g.x2().toDoubleArray(), who + ": dL/dx2");
            SubtractionKernels.Gradients gZero = fast ? SubtractionFast.backward(gradOutput, input, zero)
                    : SubtractionReference.backward(gradOutput, input, zero);
            assertArrayEquals(new double[] {-1, -1, 0, -1, -1, 0, 0, 0, 0}, gZero.x2().toDoubleArray(),
                    who + ": dL/dx2 under zero padding");
        }
    }

    @Test
    void forwardIntoAChannelSliceGivesTheBitsOfForward() {
        Rng rng = new Rng(40);
        Footprint f = new Footprint(3, 2, 1, Padding.REFLECT);
        Tensor x1 = Tensor.randn(rng, 3, 4, 7, 6);
        Tensor x2 = Tensor.randn(rng, 3, 4, 7, 6);
        Tensor wider = Tensor.full(DType.FLOAT32, 9, Shape.of(3, 6, 9, 12));
        SubtractionKernels.forwardInto(x1, x2, f, wider.slice(1, 1, 5));
        assertSameFloats(SubtractionKernels.forward(x1, x2, f), wider.slice(1, 1, 5).contiguous(), "channels 1..4");
        assertEquals(9, wider.get(2, 0, 8, 11), "the other channels are untouched");
        assertEquals(9, wider.get(0, 5, 0, 0));
        assertEquals("SAN subtraction (footprint 3x3 stride 2 with reflection padding): the destination must be FLOAT32 "
                + "[3, 4, 9, 12] with contiguous planes of 108 values, got FLOAT32 [3, 4, 12, 9]",
                message(() -> SubtractionKernels.forwardInto(x1, x2, f, Tensor.zeros(3, 4, 12, 9))));
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        KernelTesting.assertViewsGiveTheBitsOfContiguousCopies(SUBTRACTION, new San(Footprint.of(3), 2, 4, 4, 5, 7),
                Tensor.randn(new Rng(5), 3, 4, 5, 7).slice(0, 1, 3),
                Tensor.randn(new Rng(6), 7, 5, 4, 2).permute(3, 2, 1, 0),
                Tensor.randn(new Rng(7), 2, 4, 9, 38).slice(3, 1, 36));
    }

    @Test
    void float64RunsTheReference() {
        Footprint f = Footprint.of(3);
        Tensor[] o = SUBTRACTION.inputs(new San(f, 1, 2, 2, 4, 5), new Rng(9));
        Tensor x1 = o[0].to(DType.FLOAT64);
        Tensor r = SubtractionKernels.forward(x1, o[1], f);
        assertEquals(DType.FLOAT64, r.dtype());
        KernelTesting.assertSameBits(SubtractionReference.forward(x1, o[1].to(DType.FLOAT64), f), r,
                "float64 result");
        Tensor g = o[2].to(DType.FLOAT64);
        KernelTesting.assertSameBits(SubtractionReference.backward(g, x1.shape(), f).x2(),
                SubtractionKernels.backward(g, x1.shape(), f).x2(), "float64 dL/dx2");
        assertSameFloats(SubtractionFast.backward(o[2], x1.shape(), f).x2(),
                SubtractionKernels.backward(o[2], x1.shape(), f).x2(), "float32 goes to the fast kernel");
    }

    @Test
    void rejectsBadShapesWithSentences() {
        Footprint f = Footprint.of(3);
        Tensor x = Tensor.zeros(1, 2, 5, 6);
        assertEquals("SAN subtraction (footprint 5x5 with reflection padding): a footprint 5x5 with reflection"
                + " padding reflects 2 pixels at each border, which needs an input larger than 2x2, got 2x6"
                + " ([1, 2, 2, 6]); use a smaller footprint or dilation, zero padding, or a larger feature map",
                message(() -> SubtractionKernels.forward(Tensor.zeros(1, 2, 2, 6), Tensor.zeros(1, 2, 2, 6),
                        Footprint.of(5))));
        assertEquals("SAN subtraction (footprint 3x3 with reflection padding): both operands must have the same"
                + " shape, got [1, 2, 5, 6] and [1, 3, 5, 6]",
                message(() -> SubtractionKernels.forward(x, Tensor.zeros(1, 3, 5, 6), f)));
        assertEquals("SAN subtraction (footprint 3x3 with reflection padding): expected an output gradient of shape"
                + " [1, 2, 9, 30] for an input [1, 2, 5, 6], got [1, 2, 9, 25]",
                message(() -> SubtractionKernels.backward(Tensor.zeros(1, 2, 9, 25), x.shape(), f)));
    }
}
