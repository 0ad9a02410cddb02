package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;
import static vista.tensor.kernels.KernelTesting.message;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SanEntries.San;

/**
 * SAN's aggregation: a hand computation, strided views, float64, errors. Fast against reference, threads
 * and vector widths: {@link OpCatalogueTest} ({@code san_aggregation}).
 */
class AggregationTest {
    private static final OpEntry<San> AGGREGATION = SanEntries.sanAggregation();

    /**
     * x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], k = 3, weights {@code 1 .. 9} for the top-left output pixel
     * and 0 for the others, and a gradient of 1 at that pixel only. Under reflection its neighbours are
     * {@link SanTesting#CORNER_REFLECTED}, so {@code y = 1*5 + 2*4 + 3*5 + 4*2 + 5*1 + 6*2 + 7*5 + 8*4 + 9*5
     * = 165}; dL/dw is the neighbours themselves; and dL/dx[1, 1], read by the four corners of the
     * footprint, gets {@code 1 + 3 + 7 + 9 = 20}. Under zero padding, {@code y = 5*1 + 6*2 + 8*4 + 9*5 = 94}.
     */
    @Test
    void referenceAndFastMatchAHandComputation() {
        Tensor x = SanTesting.oneToNine();
        Tensor w = Tensor.zeros(1, 1, 9, 9);
        for (int k = 0; k < 9; k++) {
            w.set(k + 1, 0, 0, k, 0);
        }
        Tensor gradOutput = Tensor.zeros(1, 1, 3, 3);
        gradOutput.set(1, 0, 0, 0, 0);
        Footprint reflect = Footprint.of(3);
        Footprint zero = new Footprint(3, 1, 1, Padding.ZERO);
        for (boolean fast : new boolean[] {false, true}) {
            String who = fast ? "fast" : "reference";
            Tensor y = fast ? AggregationFast.forward(x, w, reflect) : AggregationReference.forward(x, w, reflect);
            assertEquals(165, y.get(0, 0, 0, 0), who + ": top-left output under reflection");
            Tensor yZero = fast ? AggregationFast.forward(x, w, zero) : AggregationReference.forward(x, w, zero);
            assertEquals(94, yZero.get(0, 0, 0, 0), who + ": top-left output under zero padding");
            AggregationKernels.Gradients g = fast ? AggregationFast.backward(gradOutput, x, w, reflect)
                    : AggregationReference.backward(gradOutput, x, w, reflect);
            assertArrayEquals(new double[] {5, 10, 0, 10, 20, 0, 0, 0, 0}, g.x().toDoubleArray(), who + ": dL/dx");
            assertArrayEquals(SanTesting.CORNER_REFLECTED, SanTesting.neighboursOf(g.w(), 0), who + ": dL/dw");
            AggregationKernels.Gradients gZero = fast ? AggregationFast.backward(gradOutput, x, w, zero)
                    : AggregationReference.backward(gradOutput, x, w, zero);
            assertArrayEquals(new double[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, gZero.x().toDoubleArray(),
                    who + ": dL/dx under zero padding");
            assertArrayEquals(SanTesting.CORNER_ZERO, SanTesting.neighboursOf(gZero.w(), 0),
                    who + ": dL/dw under zero padding");
        }
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        KernelTesting.assertViewsGiveTheBitsOfContiguousCopies(AGGREGATION, new San(Footprint.of(3), 2, 8, 2, 5, 7),
                Tensor.randn(new Rng(5), 3, 8, 5, 7).slice(0, 1, 3),
                Tensor.randn(new Rng(6), 9, 2, 2, 35).permute(1, 2, 0, 3),
                Tensor.randn(new Rng(7), 2, 8, 5, 10).slice(3, 2, 9));
    }

    @Test
    void float64RunsTheReference() {
        Footprint f = Footprint.of(3);
        Tensor[] o = AGGREGATION.inputs(new San(f, 1, 4, 2, 4, 5), new Rng(9));
        Tensor w = o[1];
        Tensor x = o[0].to(DType.FLOAT64);
        Tensor y = AggregationKernels.forward(x, w, f);
        assertEquals(DType.FLOAT64, y.dtype());
        KernelTesting.assertSameBits(AggregationReference.forward(x, w.to(DType.FLOAT64), f), y, "float64 output");
        AggregationKernels.Gradients g = AggregationKernels.backward(o[2], x, w, f);
        assertEquals(DType.FLOAT64, g.w().dtype());
        assertSameFloats(AggregationFast.forward(o[0], w, f), AggregationKernels.forward(o[0], w, f),
                "float32 goes to the fast kernel");
    }

    @Test
    void rejectsBadShapesWithSentences() {
        Footprint f = Footprint.of(3);
        Tensor x = Tensor.zeros(1, 4, 5, 6);
        Tensor w = Tensor.zeros(1, 2, 9, 30);
        assertEquals("SAN aggregation (footprint 7x7 with reflection padding): a footprint 7x7 with reflection"
                + " padding reflects 3 pixels at each border, which needs an input larger than 3x3, got 3x5"
                + " ([1, 2, 3, 5]); use a smaller footprint or dilation, zero padding, or a larger feature map",
                message(() -> AggregationKernels.forward(Tensor.zeros(1, 2, 3, 5), Tensor.zeros(1, 1, 49, 15),
                        Footprint.of(7))));
        assertEquals("SAN aggregation (footprint 3x3 dilation 2 with reflection padding): a footprint 3x3 dilation 2"
                + " with reflection padding reflects 2 pixels at each border, which needs an input larger than 2x2,"
                + " got 5x2 ([1, 4, 5, 2]); use a smaller footprint or dilation, zero padding, or a larger feature map",
                message(() -> AggregationKernels.forward(Tensor.zeros(1, 4, 5, 2), Tensor.zeros(1, 1, 9, 10),
                        new Footprint(3, 1, 2, Padding.REFLECT))));
        assertEquals("SAN aggregation (footprint 3x3 with reflection padding): expected a 4-D input (N, C, H, W),"
                + " got [4, 5, 6]", message(() -> AggregationKernels.forward(Tensor.zeros(4, 5, 6), w, f)));
        assertEquals("SAN aggregation (footprint 3x3 with reflection padding): values [1, 4, 5, 6] need weights"
                + " (N, Cw, k*k, H_out*W_out) = [1, 2, 9, 30] with Cw dividing 4 channels, got [1, 2, 9, 25]",
                message(() -> AggregationKernels.forward(x, Tensor.zeros(1, 2, 9, 25), f)));
        assertEquals("SAN aggregation (footprint 3x3 with reflection padding): values [1, 4, 5, 6] need weights"
                + " (N, Cw, k*k, H_out*W_out) = [1, 3, 9, 30] with Cw dividing 4 channels, got [1, 3, 9, 30]",
                message(() -> AggregationKernels.forward(x, Tensor.zeros(1, 3, 9, 30), f)));
        assertEquals("SAN aggregation (footprint 3x3 with reflection padding): expected an output gradient of"
                + " shape [1, 4, 5, 6], got [1, 4, 6, 5]",
                message(() -> AggregationKernels.backward(Tensor.zeros(1, 4, 6, 5), x, w, f)));
        assertEquals("SAN footprint: the size must be odd and positive (its centre is the output pixel), got 4",
                message(() -> Footprint.of(4)));
        assertEquals("SAN footprint: stride and dilation must be at least 1, got stride 0 and dilation 1",
                message(() -> new Footprint(3, 0, 1, Padding.ZERO)));
    }
}
