package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.safetensors.Safetensors;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Fine-tuning's start: a file's weights replace the initialisation, the classifier's only if asked. */
class StartingWeightsTest {
    @TempDir
    Path tmp;

    private static Module mini(int classes, long seed) {
        return ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, classes, new Rng(seed)));
    }

    @Test
    void onlyTheClassifierDependsOnTheNumberOfClassesInEveryFamily() {
        for (String name : List.of("resnet26-mini", "sasa-resnet26-mini", "san10-pairwise-mini",
                "san10-patchwise-mini", "resnet26", "sasa-resnet26-full")) {
            Map<String, Tensor> three = ModelZoo.create(name, new ModelZoo.Request(3, 3, new Rng(1))).stateDict();
            Map<String, Tensor> seven = ModelZoo.create(name, new ModelZoo.Request(3, 7, new Rng(1))).stateDict();
            assertEquals(three.keySet(), seven.keySet(), name);
            List<String> differing = three.keySet().stream()
                    .filter(k -> !three.get(k).shape().equals(seven.get(k).shape())).toList();
            assertEquals(List.of(ModelZoo.CLASSIFIER + ".weight", ModelZoo.CLASSIFIER + ".bias"), differing, name);
        }
    }

    @Test
    void everyWeightComesFromTheFileWhenItsClassesAreTheData() throws IOException {
        Path file = tmp.resolve("pretrained.safetensors");
        Map<String, Tensor> pretrained = mini(10, 7).stateDict();
        Safetensors.write(file, pretrained, Map.of());
        Module model = mini(10, 1);
        StartingWeights.load(model, file, false);
        model.stateDict().forEach((name, t) ->
                assertArrayEquals(pretrained.get(name).toFloatArray(), t.toFloatArray(), name));
    }

    @Test
    void withReinitHeadTheBodyComesFromTheFileAndTheClassifierKeepsItsInitialisation() throws IOException {
        Path file = tmp.resolve("imagenet-like.safetensors");
        Map<String, Tensor> pretrained = mini(1000, 7).stateDict();
        Safetensors.write(file, pretrained, Map.of());
        Module model = mini(10, 1);
        Map<String, Tensor> fresh = mini(10, 1).stateDict();
        StartingWeights.load(model, file, true);
        model.stateDict().forEach((name, t) -> {
            Tensor expected = name.startsWith(ModelZoo.CLASSIFIER + ".") ? fresh.get(name) : pretrained.get(name);
            assertArrayEquals(expected.toFloatArray(), t.toFloatArray(), name);
        });
    }

    @Test
    void aClassifierOfOtherClassesIsRefusedNamingBothCountsAndTheOption() throws IOException {
        Path file = tmp.resolve("imagenet-like.safetensors");
        Safetensors.write(file, mini(1000, 7).stateDict(), Map.of());
        Module model = mini(10, 1);
        Map<String, Tensor> before = model.stateDict();
        float[] firstConv = before.values().iterator().next().toFloatArray();
        IOException e = assertThrows(IOException.class, () -> StartingWeights.load(model, file, false));
        assertTrue(e.getMessage().startsWith(file + ": its classifier fc.weight has 1000 classes, but the data has"
                + " 10; add --reinit-head"), e.getMessage());
        assertArrayEquals(firstConv, model.stateDict().values().iterator().next().toFloatArray(), "unchanged");
    }
}
