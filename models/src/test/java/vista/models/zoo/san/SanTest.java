package vista.models.zoo.san;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.models.app.summary.ModelSummary;
import vista.models.zoo.ModelZoo;
import vista.nn.san.Aggregation2d;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/** SAN10/15/19: the official sizes and names, the small-input design, and the official counter's figures. */
class SanTest {
    private static Module imagenet(String name) {
        return ModelZoo.create(name, new ModelZoo.Request(3, 1000, new Rng(0)));
    }

    private static Module mini(String name) {
        return ModelZoo.create(name, new ModelZoo.Request(1, 10, new Rng(0)));
    }

    @Test
    void networksHaveTheOfficialParameterCounts() {
        // The official model/san.py, as counted by the PyTorch peer; the SAN README rounds them to 10.5, 14.1,
        // 17.6 M (pairwise) and 11.8, 16.2, 20.5 M (patchwise).
        assertEquals(10_531_848, imagenet("san10-pairwise").parameterCount());
        assertEquals(14_065_436, imagenet("san15-pairwise").parameterCount());
        assertEquals(17_596_156, imagenet("san19-pairwise").parameterCount());
        assertEquals(11_841_124, imagenet("san10-patchwise").parameterCount());
        assertEquals(16_181_310, imagenet("san15-patchwise").parameterCount());
        assertEquals(20_518_470, imagenet("san19-patchwise").parameterCount());
        assertEquals(545_934, mini("san10-pairwise-mini").parameterCount(), "the peer's san10_pairwise_mini");
        assertEquals(638_124, mini("san10-patchwise-mini").parameterCount(), "the peer's san10_patchwise_mini");
    }

    @Test
    void stateDictNamesAreTheOfficialOnes() {
        Map<String, Tensor> state = imagenet("san10-pairwise").stateDict();
        assertEquals(List.of("conv_in.weight", "bn_in.weight", "bn_in.bias", "bn_in.running_mean", "bn_in.running_var",
                "conv0.weight", "bn0.weight"), state.keySet().stream().limit(7).toList());
        assertArrayEquals(new int[] {64, 3, 1, 1}, state.get("conv_in.weight").dims());
        assertArrayEquals(new int[] {4, 64, 1, 1}, state.get("layer0.1.sam.conv1.weight").dims(), "relation: 64 / 16");
        assertArrayEquals(new int[] {2, 4, 1, 1}, state.get("layer0.0.sam.conv_w.5.weight").dims(), "16 / 8 weights");
        assertArrayEquals(new int[] {2048, 512, 1, 1}, state.get("layer4.0.conv.weight").dims(), "mid 2048 / 4 -> 2048");
        assertArrayEquals(new int[] {2, 2, 1, 1}, state.get("layer3.3.sam.conv_p.weight").dims());
        assertArrayEquals(new int[] {1000, 2048}, state.get("fc.weight").dims());
        Map<String, Tensor> patchwise = imagenet("san10-patchwise").stateDict();
        assertArrayEquals(new int[] {9 * 2, 2, 1, 1}, patchwise.get("layer0.0.sam.conv_w.5.weight").dims(),
                "3x3 footprint in stage 0");
        assertArrayEquals(new int[] {49 * 8, 8, 1, 1}, patchwise.get("layer1.0.sam.conv_w.5.weight").dims(),
                "7x7 after");
        assertTrue(patchwise.keySet().stream().noneMatch(k -> k.contains("conv_p")), "no position encoding");
    }

    @Test
    void smallVariantsKeepEveryFeatureMapWiderThanItsReflection() {
        for (String name : List.of("san10-pairwise-mini", "san10-patchwise-mini", "san19-patchwise-mini")) {
            Module model = mini(name);
            Variable output;
            List<Ledger.LayerCall> calls;
            try (var scope = Autograd.noGrad(); Ledger ledger = Ledger.open()) {
                output = model.forward(new Variable(Tensor.randn(new Rng(1), 2, 1, 28, 28)));
                calls = ledger.layerCalls();
            }
            assertArrayEquals(new int[] {2, 10}, output.dims(), name);
            List<Integer> sizes = calls.stream().filter(c -> c.layer() instanceof Aggregation2d)
                    .map(c -> c.input().dim(2)).distinct().toList();
            assertEquals(List.of(28, 14, 7), sizes, name + ": stages at 28, 14, 7, 7, 7");
        }
    }

    @Test
    void footprintAblationsRunAndAnImageTooSmallIsRejectedNamingTheBlock() {
        SanSpec nine = SanSpec.small(SanSpec.Attention.pairwise(), new int[] {1, 1, 1, 1, 1}, 1, 10).withFootprint(9);
        assertArrayEquals(new int[] {3, 9, 9, 9, 9}, nine.footprints());
        try (var scope = Autograd.noGrad()) {
            assertArrayEquals(new int[] {1, 10}, new San(nine, new Rng(2))
                    .forward(new Variable(Tensor.zeros(1, 1, 28, 28))).dims(), "pad 4 < 7");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mini("san10-pairwise-mini")
                    .forward(new Variable(Tensor.zeros(1, 1, 12, 12))));
            assertEquals("PairwiseSelfAttention2d(128->32, subtraction, relation channels 8, share 8, k=7): a footprint "
                    + "7x7 with reflection padding reflects 3 pixels at each border, which needs an input larger than "
                    + "3x3, got 3x3 ([1, 128, 3, 3]); use a smaller footprint or dilation, zero padding, or a larger "
                    + "feature map", e.getMessage(), "12x12 reaches stage 2 at 3x3");
        }
    }

    /**
     * The official counter (hszhao/SAN util/complexity.py, as the PyTorch peer reproduces it) gives SAN10
     * 2.155268622 G (pairwise) and 1.865421568 G (patchwise), which the SAN README prints as 2.2 and 1.9 G;
     * Vista's MACs + other ops are the same plus the linear head's 1,000 bias adds, which that counter skips.
     */
    @Test
    void macsPlusOtherOpsReproduceTheOfficialCounter() {
        Shape image = Shape.of(3, 224, 224);
        ModelSummary pairwise = ModelSummary.of(imagenet("san10-pairwise"), image);
        assertEquals(2_155_268_622L + 1000, pairwise.macs() + pairwise.otherOps());
        ModelSummary patchwise = ModelSummary.of(imagenet("san10-patchwise"), image);
        assertEquals(1_865_421_568L + 1000, patchwise.macs() + patchwise.otherOps());
    }
}
