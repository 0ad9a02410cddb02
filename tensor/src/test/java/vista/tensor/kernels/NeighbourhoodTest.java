package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;
import static vista.tensor.kernels.SanCases.message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SanCases.Case;

/** SAN's neighbourhood (unfold): a hand computation, fast against reference, determinism, errors. */
class NeighbourhoodTest {
    /** Random values x and a gradient of the neighbourhood for one case. */
    record Operands(Tensor x, Tensor gradOutput) {
        static Operands random(Rng rng, Case c) {
            return new Operands(Tensor.randn(rng, c.input().dims()),
                    Tensor.randn(rng, c.neighbours(c.channels()).dims()));
        }

        /** The neighbourhood, then the gradient of x, both by the fast kernel. */
        Tensor[] fastResults(Footprint footprint) {
            return new Tensor[] {NeighbourhoodFast.forward(x, footprint),
                NeighbourhoodFast.backward(gradOutput, x.shape(), footprint)};
        }
    }

    /** Forward copies floats, so it has the reference's bits; backward sums in another order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vista.tensor.kernels.SanCases#catalogue")
    void fastMatchesReference(Case c) {
        Footprint f = c.footprint();
        Operands o = Operands.random(new Rng(c.name().hashCode()), c);
        assertSameFloats(NeighbourhoodReference.forward(o.x(), f), NeighbourhoodFast.forward(o.x(), f),
                c + ": neighbours");
        SanCases.assertClose(NeighbourhoodReference.backward(o.gradOutput(), c.input(), f),
                NeighbourhoodFast.backward(o.gradOutput(), c.input(), f), c + ": dL/dx");
    }

    /**
     * For x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] and k = 3, the top-left pixel's neighbours are
     * {@link SanCases#CORNER_REFLECTED} (or {@link SanCases#CORNER_ZERO}); a gradient of 1 on each of
     * them and 0 elsewhere gives each pixel the number of times it is read: x[1, 1] four times under
     * reflection.
     */
    @Test
    void referenceAndFastMatchAHandComputation() {
        Tensor x = SanCases.oneToNine();
        Tensor gradOutput = Tensor.zeros(1, 1, 9, 9);
        for (int k = 0; k < 9; k++) {
            gradOutput.set(1, 0, 0, k, 0);
        }
        Footprint reflect = Footprint.of(3);
        Footprint zero = new Footprint(3, 1, 1, Padding.ZERO);
        for (boolean fast : new boolean[] {false, true}) {
            String who = fast ? "fast" : "reference";
            Tensor u = fast ? NeighbourhoodFast.forward(x, reflect) : NeighbourhoodReference.forward(x, reflect);
            assertArrayEquals(SanCases.CORNER_REFLECTED, SanCases.neighboursOf(u, 0), who + ": under reflection");
            Tensor uZero = fast ? NeighbourhoodFast.forward(x, zero) : NeighbourhoodReference.forward(x, zero);
            assertArrayEquals(SanCases.CORNER_ZERO, SanCases.neighboursOf(uZero, 0), who + ": under zero padding");
            Tensor dx = fast ? NeighbourhoodFast.backward(gradOutput, x.shape(), reflect)
                    : NeighbourhoodReference.backward(gradOutput, x.shape(), reflect);
            assertArrayEquals(new double[] {1, 2, 0, 2, 4, 0, 0, 0, 0}, dx.toDoubleArray(), who + ": dL/dx");
            Tensor dxZero = fast ? NeighbourhoodFast.backward(gradOutput, x.shape(), zero)
                    : NeighbourhoodReference.backward(gradOutput, x.shape(), zero);
            assertArrayEquals(new double[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, dxZero.toDoubleArray(),
                    who + ": dL/dx under zero padding");
        }
    }

    /** 2 x 7 = 14 tiles (sample, channel); 1 to 4 threads give the same bits. */
    @Test
    void sameBitsForAnyThreadCount() {
        Rng rng = new Rng(4);
        for (Footprint f : new Footprint[] {Footprint.of(5), new Footprint(5, 3, 2, Padding.ZERO)}) {
            Operands o = Operands.random(rng, new Case("threads", 2, 7, 7, 13, 21, f));
            SanCases.assertSameBitsForAnyThreadCount(() -> o.fastResults(f), f.toString());
        }
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        Footprint f = new Footprint(3, 2, 1, Padding.REFLECT);
        Operands views = new Operands(Tensor.randn(new Rng(5), 7, 5, 3, 2).permute(3, 2, 1, 0),
                Tensor.randn(new Rng(6), 3, 3, 9, 12).slice(0, 1, 3));
        Operands copies = new Operands(views.x().contiguous(), views.gradOutput().contiguous());
        SanCases.assertSameResults(copies.fastResults(f), views.fastResults(f), "strided views");
    }

    @Test
    void float64RunsTheReference() {
        Footprint f = Footprint.of(3);
        Operands o = Operands.random(new Rng(9), new Case("float64", 1, 2, 2, 4, 5, f));
        Tensor g = o.gradOutput().to(DType.FLOAT64);
        Tensor dx = NeighbourhoodKernels.backward(g, o.x().shape(), f);
        assertEquals(DType.FLOAT64, dx.dtype());
        KernelTesting.assertSameBits(NeighbourhoodReference.backward(g, o.x().shape(), f), dx, "float64 dL/dx");
        assertSameFloats(NeighbourhoodFast.backward(o.gradOutput(), o.x().shape(), f),
                NeighbourhoodKernels.backward(o.gradOutput(), o.x().shape(), f), "float32 goes to the fast kernel");
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

    /**
     * The fast kernel gives the same bits with narrower vectors: {@link WidthProbe} in fresh JVMs, before
     * and after the JIT compiles it.
     */
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        WidthProbes.assertSameLinesForEveryVectorWidth(WidthProbe.class, WidthProbe.results());
    }

    /** Prints a hash of the bits of fast neighbourhood results, for {@link #sameBitsForEveryVectorWidth}. */
    public static final class WidthProbe {
        private WidthProbe() {
        }

        public static void main(String[] args) {
            WidthProbes.stableResults(WidthProbe::results).forEach(System.out::println);
        }

        static List<String> results() {
            Rng rng = new Rng(12);
            List<String> out = new ArrayList<>();
            for (Case c : SanCases.probeCases()) {
                out.addAll(SanCases.hashes(Operands.random(rng, c).fastResults(c.footprint())));
            }
            return out;
        }
    }
}
