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
 * SAN's neighbourhood (unfold): a hand computation, strided views, float64, errors. Fast against
 * reference, threads and vector widths: {@link OpCatalogueTest} ({@code san_neighbourhood}).
 */
class NeighbourhoodTest {
    private static final OpEntry<San> NEIGHBOURHOOD = SanEntries.sanNeighbourhood();

    /**
     * For x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] and k = 3, the top-left pixel's neighbours are
     * {@link SanTesting#CORNER_REFLECTED} (or {@link SanTesting#CORNER_ZERO}); a gradient of 1 on each of
     * them and 0 elsewhere gives each pixel the number of times it is read: x[1, 1] four times under
     * reflection.
     */
    @Test
    void referenceAndFastMatchAHandComputation() {
        Tensor x = SanTesting.oneToNine();
        Tensor gradOutput = Tensor.zeros(1, 1, 9, 9);
        for (int k = 0; k < 9; k++) {
            gradOutput.set(1, 0, 0, k, 0);
        }
        Footprint reflect = Footprint.of(3);
        Footprint zero = new Footprint(3, 1, 1, Padding.ZERO);
        for (boolean fast : new boolean[] {false, true}) {
            String who = fast ? "fast" : "reference";
            Tensor u = fast ? NeighbourhoodFast.forward(x, reflect) : NeighbourhoodReference.forward(x, reflect);
            assertArrayEquals(SanTesting.CORNER_REFLECTED, SanTesting.neighboursOf(u, 0), who + ": under reflection");
            Tensor uZero = fast ? NeighbourhoodFast.forward(x, zero) : NeighbourhoodReference.forward(x, zero);
            assertArrayEquals(SanTesting.CORNER_ZERO, SanTesting.neighboursOf(uZero, 0), who + ": under zero padding");
            Tensor dx = fast ? NeighbourhoodFast.backward(gradOutput, x.shape(), reflect)
                    : NeighbourhoodReference.backward(gradOutput, x.shape(), reflect);
            assertArrayEquals(new double[] {1, 2, 0, 2, 4, 0, 0, 0, 0}, dx.toDoubleArray(), who + ": dL/dx");
            Tensor dxZero = fast ? NeighbourhoodFast.backward(gradOutput, x.shape(), zero)
                    : NeighbourhoodReference.backward(gradOutput, x.shape(), zero);
            assertArrayEquals(new double[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, dxZero.toDoubleArray(),
                    who + ": dL/dx under zero padding");
        }
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        KernelTesting.assertViewsGiveTheBitsOfContiguousCopies(NEIGHBOURHOOD,
                new San(new Footprint(3, 2, 1, Padding.REFLECT), 2, 3, 3, 5, 7),
                Tensor.randn(new Rng(5), 7, 5, 3, 2).permute(3, 2, 1, 0),
                Tensor.randn(new Rng(6), 3, 3, 9, 12).slice(0, 1, 3));
    }

    @Test
    void float64RunsTheReference() {
        Footprint f = Footprint.of(3);
        Tensor[] o = NEIGHBOURHOOD.inputs(new San(f, 1, 2, 2, 4, 5), new Rng(9));
        Tensor g = o[1].to(DType.FLOAT64);
        Tensor dx = NeighbourhoodKernels.backward(g, o[0].shape(), f);
        assertEquals(DType.FLOAT64, dx.dtype());
        KernelTesting.assertSameBits(NeighbourhoodReference.backward(g, o[0].shape(), f), dx, "float64 dL/dx");
        assertSameFloats(NeighbourhoodFast.backward(o[1], o[0].shape(), f),
                NeighbourhoodKernels.backward(o[1], o[0].shape(), f), "float32 goes to the fast kernel");
    }

    @Test
    void rejectsBadShapesWithSentences() {
        Footprint f = Footprint.of(3);
        Footprint strided = new Footprint(3, 2, 1, Padding.REFLECT);
        assertEquals("SAN neighbourhood (footprint 3x3 stride 2 with reflection padding): a footprint 3x3 stride 2"
                + " with reflection padding reflects 1 pixels at each border, which needs an input larger than 1x1,"
                + " got 4x1 ([2, 3, 4, 1]); use a smaller footprint or dilation, zero padding, or a larger feature map",
                message(() -> NeighbourhoodKernels.forward(Tensor.zeros(2, 3, 4, 1), strided)));
        assertEquals("SAN neighbourhood (footprint 3x3 with reflection padding): expected a 4-D input (N, C, H, W),"
                + " got [3, 5, 6]", message(() -> NeighbourhoodKernels.forward(Tensor.zeros(3, 5, 6), f)));
        assertEquals("SAN neighbourhood (footprint 3x3 with reflection padding): expected an output gradient of"
                + " shape [1, 2, 9, 30] for an input [1, 2, 5, 6], got [1, 2, 30, 9]",
                message(() -> NeighbourhoodKernels.backward(Tensor.zeros(1, 2, 30, 9), Tensor.zeros(1, 2, 5, 6).shape(), f)));
    }
}
