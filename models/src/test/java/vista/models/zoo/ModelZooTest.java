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
                () -> ModelZoo.create("vgg16", new ModelZoo.Request(3, 1000, new Rng(0))));
        assertTrue(e.getMessage().startsWith("vgg16 is not a model Vista knows; choose one of: "), e.getMessage());
        for (String name : ModelZoo.names()) {
            assertTrue(e.getMessage().contains(name), "the message lists " + name + ": " + e.getMessage());
        }
    }

    @Test
    void aMistypedNameGetsTheClosestNamesOnly() {
        assertEquals("resnet26mini is not a model Vista knows; did you mean resnet26-mini?",
                ModelZoo.nameProblem("resnet26mini"));
        assertEquals("SASA-ResNet26-Mini is not a model Vista knows; did you mean sasa-resnet26-mini?",
                ModelZoo.nameProblem("SASA-ResNet26-Mini"), "case does not count");
        assertEquals(List.of("resnet50"), ModelZoo.closestNames("resnet51"));
        assertEquals(List.of("san10-pairwise", "san15-pairwise", "san19-pairwise"),
                ModelZoo.closestNames("san1-pairwise"), "equally close names in the zoo's order");
        assertEquals(List.of(), ModelZoo.closestNames("vgg16"));
        assertEquals(List.of(), ModelZoo.closestNames("san10"), "a prefix 9 edits away is not a typo");
        assertEquals(null, ModelZoo.nameProblem("resnet26-mini"));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, ModelZoo.editDistance("resnet26", "resnet26"));
        assertEquals(1, ModelZoo.editDistance("resnet26mini", "resnet26-mini"), "one insertion");
        assertEquals(1, ModelZoo.editDistance("resnet26--mini", "resnet26-mini"), "one deletion");
        assertEquals(1, ModelZoo.editDistance("resnet27", "resnet26"), "one substitution");
        assertEquals(2, ModelZoo.editDistance("resnte26", "resnet26"), "a swap is two substitutions");
        assertEquals(3, ModelZoo.editDistance("kitten", "sitting"));
        assertEquals(5, ModelZoo.editDistance("", "san10"));
        assertEquals(5, ModelZoo.editDistance("san10", ""));
    }

    @Test
    void inputSizeProblemAgreesWithWhatTheNetworksDo() {
        Map<String, int[]> sides = Map.of("resnet26-mini", new int[] {5, 13, 28},
                "sasa-resnet26-mini", new int[] {12, 14, 16},
                "san10-pairwise-mini", new int[] {8, 15, 16},
                "sasa-resnet26-small", new int[] {20, 24, 28},
                "sasa-resnet26-full", new int[] {16, 32});
        sides.forEach((name, list) -> {
            Module model = ModelZoo.create(name, new ModelZoo.Request(1, 10, new Rng(0)));
            for (int side : list) {
                String problem = ModelZoo.inputSizeProblem(name, side, side);
                boolean runs;
                try (var scope = Autograd.noGrad()) {
                    model.forward(new Variable(Tensor.zeros(2, 1, side, side)));
                    runs = true;
                } catch (IllegalArgumentException e) {
                    runs = false;
                }
                assertEquals(runs, problem == null, name + " at " + side + ": " + problem);
            }
        });
    }

    @Test
    void inputSizeProblemNamesTheModelTheSizeTheLayerAndSidesThatFit() {
        assertEquals("sasa-resnet26-small cannot take images of 28 x 28 pixels: stage 4's stride-2 attention (then 2x2"
                + " average pooling) needs a side that is a multiple of 2, and it gets 7. The sides nearest 28 that"
                + " it takes are 24 and 32 (it is made for 32 x 32).",
                ModelZoo.inputSizeProblem("sasa-resnet26-small", 28, 28));
        assertEquals("san10-pairwise-mini cannot take images of 32 x 15 pixels: stage 2's 7x7 footprint reflects 3"
                + " pixels at each border, so it needs a side of at least 4, and it gets 3. The smallest side it"
                + " takes is 16 (it is made for 28 x 28).", ModelZoo.inputSizeProblem("san10-pairwise-mini", 32, 15));
        assertEquals("sasa-resnet50-full cannot take images of 30 x 30 pixels: the attention stem works on 4x4 blocks,"
                + " so it needs a side that is a multiple of 4. The smallest side it takes is 32 (it is made for 224 x"
                + " 224).", ModelZoo.inputSizeProblem("sasa-resnet50-full", 30, 30));
        for (String name : ModelZoo.names()) {
            var image = ModelZoo.defaultImage(name);
            assertEquals(null, ModelZoo.inputSizeProblem(name, image.dim(1), image.dim(2)), name);
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
