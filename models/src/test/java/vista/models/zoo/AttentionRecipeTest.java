package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The attention recipes: what each changes in a SASA network, and why the lineage recipe is the default (at
 * initialisation the paper's SASA-ResNet amplifies the gradient on its way back to the input hundreds of
 * times more than the ResNet it replaces; the lineage recipe does not).
 */
class AttentionRecipeTest {
    /** The norm of the loss's gradient with respect to a batch of images, in training mode. */
    private static double inputGradientNorm(String model, AttentionRecipe recipe) {
        Module net = ModelZoo.create(model, new ModelZoo.Request(1, 10, new Rng(3), recipe));
        net.train(true);
        Variable x = new Variable(Tensor.randn(new Rng(4), 32, 1, 28, 28), true);
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        new CrossEntropyLoss(0, CrossEntropyLoss.Smoothing.TORCH).forward(net.forward(x), labels).backward();
        double sum = 0;
        for (float g : x.grad().toFloatArray()) {
            sum += (double) g * g;
        }
        return Math.sqrt(sum);
    }

    @Test
    void thePapersRecipeAmplifiesTheGradientAtInitialisationAndTheLineageRecipeDoesNot() {
        double resnet = inputGradientNorm("resnet26-mini", AttentionRecipe.LINEAGE);
        double paper = inputGradientNorm("sasa-resnet26-mini", AttentionRecipe.PAPER);
        double lineage = inputGradientNorm("sasa-resnet26-mini", AttentionRecipe.LINEAGE);
        double tuned = inputGradientNorm("sasa-resnet26-mini", AttentionRecipe.TUNED);
        assertTrue(paper > 50 * resnet, "paper " + paper + " vs resnet " + resnet);
        assertTrue(lineage < 2 * resnet, "lineage " + lineage + " vs resnet " + resnet);
        assertTrue(tuned < 2 * resnet, "tuned " + tuned + " vs resnet " + resnet);
    }

    @Test
    void theRecipeScalesEveryAttentionLayerAndZeroesTheLastNormOfEveryBlockInSasaNetworksOnly() {
        for (AttentionRecipe recipe : AttentionRecipe.values()) {
            Module sasa = ModelZoo.create("sasa-resnet26-mini", new ModelZoo.Request(1, 10, new Rng(1), recipe));
            List<LocalSelfAttention2d> layers = new java.util.ArrayList<>();
            collect(sasa, layers);
            assertEquals(8, layers.size());
            for (LocalSelfAttention2d layer : layers) {
                double scale = layer.window().logitScale();
                assertEquals(recipe.scaledLogits(), scale != 1, layer + " " + recipe);
            }
            Map<String, Tensor> state = sasa.stateDict();
            for (String name : List.of("layer1.0.conv2.rel_row", "layer4.0.conv2.rel_col")) {
                int headChannels = 2 * state.get(name).dims()[1];
                double expected = recipe.unitEmbeddings() ? 1 : 1 / Math.sqrt(headChannels);
                double spread = standardDeviation(state.get(name).toFloatArray());
                assertTrue(spread > 0.5 * expected && spread < 1.5 * expected, name + " " + recipe + ": " + spread);
            }
            for (String name : List.of("layer1.0.bn3.weight", "layer4.0.bn3.weight")) {
                float expected = recipe.zeroInitResidual() ? 0 : 1;
                for (float g : state.get(name).toFloatArray()) {
                    assertEquals(expected, g, name + " " + recipe);
                }
            }
        }
        Map<String, Tensor> resnet = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, new Rng(1),
                AttentionRecipe.LINEAGE)).stateDict();
        assertEquals(1, resnet.get("layer1.0.bn3.weight").toFloatArray()[0], "ResNets keep torchvision's initialisation");
    }

    private static double standardDeviation(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }

    private static void collect(Module module, List<LocalSelfAttention2d> out) {
        if (module instanceof LocalSelfAttention2d attention) {
            out.add(attention);
        }
        module.children().values().forEach(child -> collect(child, out));
    }

    @Test
    void recipesAreNamedByTheirLabels() {
        assertEquals(AttentionRecipe.PAPER, AttentionRecipe.named("paper"));
        assertEquals(AttentionRecipe.LINEAGE, AttentionRecipe.named(AttentionRecipe.LINEAGE.label()));
        assertEquals(AttentionRecipe.TUNED, AttentionRecipe.named("tuned"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AttentionRecipe.named("t2t"));
        assertTrue(e.getMessage().startsWith("unknown attention recipe 't2t'"), e.getMessage());
    }
}
