package vista.nn.san;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Complexity;
import vista.autograd.Complexity.Cost;
import vista.autograd.GradCheck;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.nn.Conv2d;
import vista.nn.Init;
import vista.nn.Module;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.geometry.Footprint.Padding;

/**
 * SAN's pairwise and patchwise attention blocks: the official names and shapes, every relation's
 * gradients, what the softmax guarantees, the position map, the counted cost and the errors.
 */
class SanAttentionTest {
    /** in 8, relation 2, out 8, share 4 (2 weight channels), 3x3 footprint with reflection. */
    private static final SanAttentionShape SMALL = new SanAttentionShape(8, 2, 8, 4, Footprint.of(3));

    @Test
    void pairwiseParametersHaveTheOfficialNamesAndShapes() {
        PairwiseSelfAttention2d sam = new PairwiseSelfAttention2d(SanAttentionShape.official(64, 16, 7), new Rng(1));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
                "conv_w.0.weight", "conv_w.0.bias", "conv_w.2.weight", "conv_w.3.weight", "conv_w.3.bias",
                "conv_w.5.weight", "conv_w.5.bias", "conv_p.weight", "conv_p.bias"),
                List.copyOf(sam.namedParameters().keySet()));
        assertArrayEquals(new int[] {4, 64, 1, 1}, sam.namedParameters().get("conv1.weight").dims(), "C/16");
        assertArrayEquals(new int[] {4, 6, 1, 1}, sam.namedParameters().get("conv_w.2.weight").dims(), "rel + 2 -> rel");
        assertArrayEquals(new int[] {2, 4, 1, 1}, sam.namedParameters().get("conv_w.5.weight").dims(), "-> 16 / 8");
        long expected = 2 * (64 * 4 + 4) + (64 * 16 + 16) + 2 * 6 + 6 * 4 + 2 * 4 + (4 * 2 + 2) + (2 * 2 + 2);
        assertEquals(expected, sam.parameterCount());
    }

    @Test
    void patchwiseParametersHaveTheOfficialNamesAndShapes() {
        PatchwiseSelfAttention2d sam = new PatchwiseSelfAttention2d(SanAttentionShape.official(64, 16, 7), new Rng(2));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
                "conv_w.0.weight", "conv_w.0.bias", "conv_w.2.weight", "conv_w.3.weight", "conv_w.3.bias",
                "conv_w.5.weight", "conv_w.5.bias"), List.copyOf(sam.namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 4 * 50, 1, 1}, sam.namedParameters().get("conv_w.2.weight").dims(),
                "rel (k² + 1) -> out / share");
        assertArrayEquals(new int[] {49 * 2, 2, 1, 1}, sam.namedParameters().get("conv_w.5.weight").dims());
    }

    /** Each relation, and for the official one both ways of computing γ (recomputed and composed). */
    @ParameterizedTest
    @EnumSource(PairwiseSelfAttention2d.Relation.class)
    void pairwiseGradientsMatchFiniteDifferences(PairwiseSelfAttention2d.Relation relation) {
        PairwiseSelfAttention2d sam = new PairwiseSelfAttention2d(SMALL, relation, new Rng(3))
                .recomputeMappingFrom(0);
        assertEquals(relation.channels(2) + 2, sam.namedParameters().get("conv_w.0.weight").numel(), "γ's input");
        GradCheck.of(v -> sam.forward(v[0]), Tensor.randn(new Rng(4), 2, 8, 5, 4)).assertPasses();
        sam.recomputeMappingFrom(Long.MAX_VALUE);
        GradCheck.of(v -> sam.forward(v[0]), Tensor.randn(new Rng(4), 2, 8, 5, 4)).assertPasses();
    }

    /** Each relation, and for the official one both ways of computing γ (recomputed and composed). */
    @ParameterizedTest
    @EnumSource(PatchwiseSelfAttention2d.Relation.class)
    void patchwiseGradientsMatchFiniteDifferences(PatchwiseSelfAttention2d.Relation relation) {
        PatchwiseSelfAttention2d sam = new PatchwiseSelfAttention2d(SMALL, relation, new Rng(5))
                .recomputeMappingFrom(0);
        assertEquals(relation.channels(2, 9), sam.namedParameters().get("conv_w.0.weight").numel(), "γ's input");
        GradCheck.of(v -> sam.forward(v[0]), Tensor.randn(new Rng(6), 2, 8, 4, 5)).assertPasses();
        sam.recomputeMappingFrom(Long.MAX_VALUE);
        GradCheck.of(v -> sam.forward(v[0]), Tensor.randn(new Rng(6), 2, 8, 4, 5)).assertPasses();
    }

    /**
     * Training-mode passes of the official relations compute γ chunk by chunk ({@link SanWeightMapping});
     * they give the composed layers' output, gradients and running statistics, to rounding.
     */
    @Test
    void recomputedMappingAgreesWithTheComposedLayers() {
        for (boolean pairwise : new boolean[] {true, false}) {
            SanAttentionShape shape = new SanAttentionShape(16, 4, 16, 4, Footprint.of(3));
            Module lean = pairwise ? new PairwiseSelfAttention2d(shape, new Rng(20)).recomputeMappingFrom(0)
                    : new PatchwiseSelfAttention2d(shape, new Rng(20)).recomputeMappingFrom(0);
            Module composed = pairwise
                    ? new PairwiseSelfAttention2d(shape, new Rng(20)).recomputeMappingFrom(Long.MAX_VALUE)
                    : new PatchwiseSelfAttention2d(shape, new Rng(20)).recomputeMappingFrom(Long.MAX_VALUE);
            Tensor x = Tensor.randn(new Rng(21), 3, 16, 7, 6);
            Tensor g = Tensor.randn(new Rng(22), 3, 16, 7, 6);
            Variable xLean = new Variable(x, true);
            Variable xComposed = new Variable(x, true);
            Tensor yLean = lean.forward(xLean).data();
            Tensor yComposed = composed.forward(xComposed).data();
            assertClose(yComposed, yLean, "output");
            lean.forward(xLean).backward(g);
            composed.forward(xComposed).backward(g);
            assertClose(xComposed.grad(), xLean.grad(), "input gradient");
            lean.namedParameters().forEach((name, p) ->
                    assertClose(composed.namedParameters().get(name).grad(), p.grad(), name + " gradient"));
            lean.namedBuffers().forEach((name, b) -> assertClose(composed.namedBuffers().get(name), b, name));
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4 * Math.max(1, scale), what + " [" + i + "]");
        }
    }

    @Test
    void zeroPaddingBlocksHaveGradientsToo() {
        SanAttentionShape zero = new SanAttentionShape(8, 2, 8, 4, new Footprint(3, 1, 1, Padding.ZERO));
        PairwiseSelfAttention2d pairwise = new PairwiseSelfAttention2d(zero, new Rng(7)).recomputeMappingFrom(0);
        GradCheck.of(v -> pairwise.forward(v[0]), Tensor.randn(new Rng(8), 2, 8, 3, 4)).assertPasses();
        PatchwiseSelfAttention2d patchwise = new PatchwiseSelfAttention2d(zero, new Rng(9)).recomputeMappingFrom(0);
        GradCheck.of(v -> patchwise.forward(v[0]), Tensor.randn(new Rng(10), 2, 8, 4, 3)).assertPasses();
    }

    /**
     * The softmax makes the weights of every pixel sum to one over its footprint, so with β(x) = b
     * everywhere (conv3's weight zero, its bias b) the pairwise block returns b at every pixel.
     */
    @Test
    void pairwiseWeightsSumToOneOverTheFootprint() {
        PairwiseSelfAttention2d sam = new PairwiseSelfAttention2d(SMALL, new Rng(11));
        Conv2d beta = (Conv2d) sam.children().get("conv3");
        Init.zeros(beta.weight().data());
        Tensor x = Tensor.randn(new Rng(12), 2, 8, 6, 5);
        Tensor y;
        try (var ignored = Autograd.noGrad()) {
            y = sam.forward(new Variable(x)).data();
        }
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 8; c++) {
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 5; j++) {
                        assertEquals(beta.bias().data().get(c), y.get(n, c, i, j), 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void positionsAreCoordinatesFromMinusOneToOneColumnsFirst() {
        Tensor grid = PairwiseSelfAttention2d.coordinates(3, 5, DType.FLOAT32);
        assertArrayEquals(new int[] {1, 2, 3, 5}, grid.dims());
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1}, grid.slice(1, 0, 1).slice(2, 1, 2).contiguous()
                .toFloatArray(), "channel 0: the column, PyTorch's linspace(-1, 1, 5)");
        assertArrayEquals(new float[] {-1, 0, 1}, grid.slice(1, 1, 2).slice(3, 4, 5).contiguous().toFloatArray(),
                "channel 1: the row");
        assertEquals(-1, PairwiseSelfAttention2d.coordinates(1, 1, DType.FLOAT32).get(0, 0, 0, 0));
    }

    @Test
    void summariesCountTheAggregationAndTheSubtractions() {
        PairwiseSelfAttention2d sam = new PairwiseSelfAttention2d(SMALL, new Rng(13));
        sam.eval();
        List<Ledger.LayerCall> calls;
        try (Ledger ledger = Ledger.open()) {
            sam.forward(new Variable(Tensor.zeros(2, 8, 5, 4)));
            calls = ledger.layerCalls();
        }
        Module aggregation = sam.children().get("aggregation");
        Module subtraction2 = sam.children().get("subtraction2");
        Ledger.LayerCall aggregate = calls.stream().filter(c -> c.layer() == aggregation).findFirst().orElseThrow();
        assertEquals(new Cost(2L * 8 * 9 * 20, 0), ((Complexity) aggregation).cost(aggregate.input(),
                aggregate.output()), "k² multiply-adds per output element");
        Ledger.LayerCall relation = calls.stream().filter(c -> c.layer() == subtraction2).findFirst().orElseThrow();
        assertEquals(Cost.otherOps(2L * 2 * 9 * 20), ((Complexity) subtraction2).cost(relation.input(),
                relation.output()));
    }

    @Test
    void rejectsAFootprintWiderThanReflectionAllowsNamingTheBlock() {
        PairwiseSelfAttention2d sam = new PairwiseSelfAttention2d(SanAttentionShape.official(32, 8, 7), new Rng(14));
        String message = assertThrows(IllegalArgumentException.class,
                () -> sam.forward(new Variable(Tensor.zeros(1, 32, 3, 8)))).getMessage();
        assertEquals("PairwiseSelfAttention2d(32->8, subtraction, relation channels 2, share 8, k=7): a footprint 7x7 "
                + "with reflection padding reflects 3 pixels at each border, which needs an input larger than 3x3, got "
                + "3x8 ([1, 32, 3, 8]); use a smaller footprint or dilation, zero padding, or a larger feature map",
                message);
    }

    @Test
    void rejectsBadSettingsAndInputsWithSentences() {
        assertEquals("SAN attention(8->12, relation 2, share 8, footprint 3x3 with reflection padding): 12 output "
                + "channels do not split into groups of 8 sharing one weight channel; choose a multiple of 8",
                assertThrows(IllegalArgumentException.class,
                        () -> new SanAttentionShape(8, 2, 12, 8, Footprint.of(3))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SanAttentionShape(8, 2, 8, 8,
                new Footprint(3, 2, 1, Padding.REFLECT))).getMessage().contains("run at stride 1"));
        PatchwiseSelfAttention2d sam = new PatchwiseSelfAttention2d(SMALL, new Rng(15));
        assertEquals("PatchwiseSelfAttention2d(8->8, concatenation, relation channels 2, share 4, k=3): expected "
                + "input (N, 8, H, W), got [1, 4, 5, 5]", assertThrows(IllegalArgumentException.class,
                        () -> sam.forward(new Variable(Tensor.zeros(1, 4, 5, 5)))).getMessage());
        assertEquals("Aggregation2d(footprint 3x3 with reflection padding): the aggregation takes values and weights; "
                + "call forward(x, w)", assertThrows(UnsupportedOperationException.class,
                        () -> new Aggregation2d(Footprint.of(3)).forward(new Variable(Tensor.zeros(1, 1, 3, 3))))
                        .getMessage());
    }

    @Test
    void outputHasTheValueChannelsAndTheInputSize() {
        SanAttentionShape shape = new SanAttentionShape(16, 2, 8, 8, Footprint.of(5));
        Variable x = new Variable(Tensor.randn(new Rng(16), 2, 16, 6, 7));
        assertEquals(Shape.of(2, 8, 6, 7), new PairwiseSelfAttention2d(shape, new Rng(17)).forward(x).shape());
        assertEquals(Shape.of(2, 8, 6, 7), new PatchwiseSelfAttention2d(shape, new Rng(18)).forward(x).shape());
    }
}
