package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Tensor;

class ModelZooTest {

    /**
     * The models made for 28x28 images: the small-stem and mini ones, except the small-stem SASA-ResNets,
     * whose stride-2 attention needs even sizes down to the last stage (32x32, not 28x28).
     */
    private static List<String> smallInputModels() {
        return ModelZoo.names().stream().filter(n -> n.endsWith("-small") || n.endsWith("-mini"))
                .filter(n -> !sasaSmallStemModels().contains(n)).toList();
    }

    private static List<String> sasaSmallStemModels() {
        return ModelZoo.names().stream().filter(n -> n.startsWith("sasa-") && n.endsWith("-small")).toList();
    }

    private static Module imagenet(String name) {
        return ModelZoo.create(name, new ModelZoo.Request(3, 1000, new Rng(0)));
    }

    @Test
    void everyNameBuilds() {
        assertTrue(ModelZoo.names().containsAll(List.of("resnet26", "resnet26-small", "resnet38", "resnet38-small",
                "resnet50", "resnet50-small", "resnet26-mini", "sasa-resnet26", "sasa-resnet26-small", "sasa-resnet38",
                "sasa-resnet38-small", "sasa-resnet50", "sasa-resnet50-small", "sasa-resnet26-full", "sasa-resnet38-full",
                "sasa-resnet50-full", "sasa-resnet26-mini")),
                ModelZoo.names().toString());
        for (String name : ModelZoo.names()) {
            Module model = ModelZoo.create(name, new ModelZoo.Request(3, 1000, new Rng(0)));
            assertTrue(model.parameterCount() > 0, name);
        }
    }

    @Test
    void unknownNameErrorListsTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.create("resnet51", new ModelZoo.Request(3, 1000, new Rng(0))));
        assertTrue(e.getMessage().contains("resnet51"), e.getMessage());
        for (String name : ModelZoo.names()) {
            assertTrue(e.getMessage().contains(name), "the message lists " + name + ": " + e.getMessage());
        }
    }

    @Test
    void smallInputModelsGiveTenLogitsOn28x28() {
        Tensor images = Tensor.randn(new Rng(1), 2, 1, 28, 28);
        assertTrue(smallInputModels().containsAll(List.of("resnet26-small", "resnet38-small", "resnet50-small")));
        for (String name : smallInputModels()) {
            Module model = ModelZoo.create(name, new ModelZoo.Request(1, 10, new Rng(0)));
            try (var scope = Autograd.noGrad()) {
                Variable logits = model.forward(new Variable(images));
                assertArrayEquals(new int[] {2, 10}, logits.dims(), name);
            }
        }
    }

    @Test
    void sasaResNetsHaveThePeersParameterCounts() {
        // The PyTorch peer's sasa_resnet26/38/50 (models.py), against 10.3 M, 14.1 M and 18.0 M in SASA's Table 1.
        assertEquals(10_331_264, imagenet("sasa-resnet26").parameterCount());
        assertEquals(14_173_384, imagenet("sasa-resnet38").parameterCount());
        assertEquals(18_015_504, imagenet("sasa-resnet50").parameterCount());
    }

    @Test
    void fullAttentionSasaResNetsTradeTheStemConvolutionForTheAttentionStem() {
        // SASA's Table 1 gives the full-attention models the conv-stem models' 10.3 M, 14.1 M and 18.0 M: the
        // attention stem's 1,456 parameters replace the 7x7 convolution's 9,408.
        assertEquals(10_331_264 - 9_408 + 1_456, imagenet("sasa-resnet26-full").parameterCount());
        assertEquals(10_323_312, imagenet("sasa-resnet26-full").parameterCount());
        assertEquals(14_165_432, imagenet("sasa-resnet38-full").parameterCount());
        assertEquals(18_007_552, imagenet("sasa-resnet50-full").parameterCount());
        Map<String, Tensor> state = imagenet("sasa-resnet26-full").stateDict();
        assertTrue(state.keySet().stream().noneMatch(k -> k.startsWith("conv1.")), "no stem convolution");
        assertArrayEquals(new int[] {256, 3, 1, 1}, state.get("stem.v_proj.weight").dims(), "4 value matrices 3 -> 64");
        assertTrue(ModelZoo.names().stream().noneMatch(n -> n.endsWith("-small-full")), "no small full-attention models");
    }

    @Test
    void sasaResNetsReplaceEveryThreeByThreeConvolution() {
        Module sasa = imagenet("sasa-resnet26");
        Map<String, Tensor> state = sasa.stateDict();
        assertArrayEquals(new int[] {64, 3, 7, 7}, state.get("conv1.weight").dims(), "the convolution stem is kept");
        assertArrayEquals(new int[] {7, 4}, state.get("layer1.0.conv2.rel_row").dims(), "k = 7, dh = 64 / 8");
        assertArrayEquals(new int[] {7, 32}, state.get("layer4.0.conv2.rel_col").dims(), "dh = 512 / 8");
        assertArrayEquals(new int[] {256, 256, 1, 1}, state.get("layer3.3.conv2.v_proj.weight").dims());
        assertTrue(state.keySet().stream().noneMatch(k -> k.matches("layer\\d\\.\\d+\\.conv2\\.weight")),
                "no 3x3 convolution is left in the blocks");
        assertEquals(List.of("layer2.0.conv2.rel_row", "layer2.0.conv2.rel_col", "layer2.0.conv2.q_proj.weight",
                "layer2.0.conv2.k_proj.weight", "layer2.0.conv2.v_proj.weight"),
                state.keySet().stream().filter(k -> k.startsWith("layer2.0.conv2.")).toList(), "the peer's order");
        Map<String, Tensor> mini = ModelZoo.create("sasa-resnet26-mini", new ModelZoo.Request(1, 10, new Rng(0)))
                .stateDict();
        assertArrayEquals(new int[] {7, 2}, mini.get("layer1.0.conv2.rel_row").dims(), "4 heads: dh = 16 / 4");
        assertArrayEquals(new int[] {7, 16}, mini.get("layer4.0.conv2.rel_row").dims(), "dh = 128 / 4");
    }

    @Test
    void sasaSmallStemModelsRunOn32x32AndExplainWhy28x28Fails() {
        assertEquals(List.of("sasa-resnet26-small", "sasa-resnet38-small", "sasa-resnet50-small"), sasaSmallStemModels());
        Tensor images = Tensor.randn(new Rng(2), 2, 1, 32, 32);
        for (String name : sasaSmallStemModels()) {
            Module model = ModelZoo.create(name, new ModelZoo.Request(1, 10, new Rng(0)));
            try (var scope = Autograd.noGrad()) {
                assertArrayEquals(new int[] {2, 10}, model.forward(new Variable(images)).dims(), name);
            }
        }
        Module model = ModelZoo.create("sasa-resnet26-small", new ModelZoo.Request(1, 10, new Rng(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(new Variable(Tensor.zeros(1, 1, 28, 28))));
        assertTrue(e.getMessage().contains("a stride-2 attention block needs an even input size")
                && e.getMessage().contains("[1, 1024, 7, 7]"), e.getMessage());
    }

    @Test
    void everyModelRunsOnTheImageItIsMadeFor() {
        for (String name : ModelZoo.names()) {
            var image = ModelZoo.defaultImage(name);
            int classes = ModelZoo.defaultClasses(name);
            assertEquals(image.dim(1) == 224 ? 1000 : 10, classes, name);
            if (image.dim(1) == 224) {
                continue;   // SummaryTest traces the ImageNet networks at 224 x 224
            }
            Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), classes, new Rng(0)));
            Tensor images = Tensor.randn(new Rng(3), 1, image.dim(0), image.dim(1), image.dim(2));
            try (var scope = Autograd.noGrad()) {
                assertArrayEquals(new int[] {1, classes}, model.forward(new Variable(images)).dims(), name);
            }
        }
        assertEquals(vista.tensor.Shape.of(3, 32, 32), ModelZoo.defaultImage("sasa-resnet26-small"));
        assertEquals(vista.tensor.Shape.of(1, 28, 28), ModelZoo.defaultImage("resnet26-small"));
        assertEquals(vista.tensor.Shape.of(3, 224, 224), ModelZoo.defaultImage("sasa-resnet50-full"));
    }
}
