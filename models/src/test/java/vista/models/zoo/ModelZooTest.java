package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Tensor;

class ModelZooTest {

    /** The models made for 28x28 images. */
    private static List<String> smallInputModels() {
        return ModelZoo.names().stream().filter(n -> n.endsWith("-small") || n.endsWith("-mini")).toList();
    }

    @Test
    void everyNameBuilds() {
        assertTrue(ModelZoo.names().containsAll(List.of("resnet26", "resnet26-small", "resnet38", "resnet38-small",
                "resnet50", "resnet50-small")), ModelZoo.names().toString());
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
}
