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
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SanCases.Case;

/** SAN's subtraction: a hand computation, fast against reference on awkward shapes, determinism, errors. */
class SubtractionTest {
    /** Random operands x1, x2 and a gradient of the result for one case. */
    record Operands(Tensor x1, Tensor x2, Tensor gradOutput) {
        static Operands random(Rng rng, Case c) {
            return new Operands(Tensor.randn(rng, c.input().dims()), Tensor.randn(rng, c.input().dims()),
                    Tensor.randn(rng, c.neighbours(c.channels()).dims()));
        }

        /** The result, then the gradients of x1 and x2, all by the fast kernel. */
        Tensor[] fastResults(Footprint footprint) {
            SubtractionKernels.Gradients g = SubtractionFast.backward(gradOutput, x1.shape(), footprint);
            return new Tensor[] {SubtractionFast.forward(x1, x2, footprint), g.x1(), g.x2()};
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vista.tensor.kernels.SanCases#catalogue")
    void fastMatchesReference(Case c) {
        Footprint f = c.footprint();
        Operands o = Operands.random(new Rng(c.name().hashCode()), c);
        SanCases.assertClose(SubtractionReference.forward(o.x1(), o.x2(), f),
                SubtractionFast.forward(o.x1(), o.x2(), f), c + ": result");
        SubtractionKernels.Gradients expected = SubtractionReference.backward(o.gradOutput(), c.input(), f);
        SubtractionKernels.Gradients actual = SubtractionFast.backward(o.gradOutput(), c.input(), f);
        SanCases.assertClose(expected.x1(), actual.x1(), c + ": dL/dx1");
        SanCases.assertClose(expected.x2(), actual.x2(), c + ": dL/dx2");
    }

    /** A difference is one rounding of the same two floats, so the fast result has the reference's bits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vista.tensor.kernels.SanCases#catalogue")
    void forwardHasTheBitsOfTheReference(Case c) {
        Operands o = Operands.random(new Rng(c.name().hashCode()), c);
        assertSameFloats(SubtractionReference.forward(o.x1(), o.x2(), c.footprint()),
                SubtractionFast.forward(o.x1(), o.x2(), c.footprint()), c.toString());
    }

    /**
     * x1 = 10 x and x2 = x for x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], k = 3: the top-left pixel's centre
     * is 10 and its neighbours are {@link SanCases#CORNER_REFLECTED} (or {@link SanCases#CORNER_ZERO}).
     * With a gradient of 1 on all nine of its neighbours and 0 elsewhere, dL/dx1 is 9 at that pixel, and
     * dL/dx2 is minus the number of times each pixel is read: x[1, 1] four times under reflection.
     */
    @Test
    void referenceAndFastMatchAHandComputation() {
        Tensor x2 = SanCases.oneToNine();
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
            reflected[k] = 10 - SanCases.CORNER_REFLECTED[k];
            zeroPadded[k] = 10 - SanCases.CORNER_ZERO[k];
        }
        for (boolean fast : new boolean[] {false, true}) {
            String who = fast ? "fast" : "reference";
            Tensor r = fast ? SubtractionFast.forward(x1, x2, reflect) : SubtractionReference.forward(x1, x2, reflect);
            assertArrayEquals(reflected, SanCases.neighboursOf(r, 0), who + ": top-left pixel under reflection");
            Tensor rZero = fast ? SubtractionFast.forward(x1, x2, zero) : SubtractionReference.forward(x1, x2, zero);
            assertArrayEquals(zeroPadded, SanCases.neighboursOf(rZero, 0), who + ": top-left pixel, zero padding");
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

    /** 3 x 5 = 15 tiles (sample, channel); 1 to 4 threads give the same bits. */
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
    void sameBitsForAnyThreadCount() {
        Rng rng = new Rng(4);
        for (Footprint f : new Footprint[] {Footprint.of(7), new Footprint(3, 2, 2, Padding.ZERO)}) {
            Operands o = Operands.random(rng, new Case("threads", 3, 5, 5, 13, 21, f));
            SanCases.assertSameBitsForAnyThreadCount(() -> o.fastResults(f), f.toString());
        }
    }

    @Test
    void stridedViewsGiveTheBitsOfContiguousCopies() {
        Footprint f = Footprint.of(3);
        Operands views = new Operands(Tensor.randn(new Rng(5), 3, 4, 5, 7).slice(0, 1, 3),
                Tensor.randn(new Rng(6), 7, 5, 4, 2).permute(3, 2, 1, 0),
                Tensor.randn(new Rng(7), 2, 4, 9, 38).slice(3, 1, 36));
        Operands copies = new Operands(views.x1().contiguous(), views.x2().contiguous(),
                views.gradOutput().contiguous());
        SanCases.assertSameResults(copies.fastResults(f), views.fastResults(f), "strided views");
    }

    @Test
    void float64RunsTheReference() {
        Footprint f = Footprint.of(3);
        Operands o = Operands.random(new Rng(9), new Case("float64", 1, 2, 2, 4, 5, f));
        Tensor x1 = o.x1().to(DType.FLOAT64);
        Tensor r = SubtractionKernels.forward(x1, o.x2(), f);
        assertEquals(DType.FLOAT64, r.dtype());
        KernelTesting.assertSameBits(SubtractionReference.forward(x1, o.x2().to(DType.FLOAT64), f), r,
                "float64 result");
        Tensor g = o.gradOutput().to(DType.FLOAT64);
        KernelTesting.assertSameBits(SubtractionReference.backward(g, x1.shape(), f).x2(),
                SubtractionKernels.backward(g, x1.shape(), f).x2(), "float64 dL/dx2");
        assertSameFloats(SubtractionFast.backward(o.gradOutput(), x1.shape(), f).x2(),
                SubtractionKernels.backward(o.gradOutput(), x1.shape(), f).x2(), "float32 goes to the fast kernel");
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

    /**
     * The fast kernel gives the same bits with narrower vectors: {@link WidthProbe} in fresh JVMs, before
     * and after the JIT compiles it.
     */
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        WidthProbes.assertSameLinesForEveryVectorWidth(WidthProbe.class, WidthProbe.results());
    }

    /** Prints a hash of the bits of fast subtraction results, for {@link #sameBitsForEveryVectorWidth}. */
    public static final class WidthProbe {
        private WidthProbe() {
        }

        public static void main(String[] args) {
            WidthProbes.stableResults(WidthProbe::results).forEach(System.out::println);
        }

        static List<String> results() {
            Rng rng = new Rng(11);
            List<String> out = new ArrayList<>();
            for (Case c : SanCases.probeCases()) {
                out.addAll(SanCases.hashes(Operands.random(rng, c).fastResults(c.footprint())));
            }
            return out;
        }
    }
}
