package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.nn.inference.FoldedLocalSelfAttention;
import vista.nn.inference.Folding;
import vista.nn.inference.InferenceConv2d;
import vista.nn.inference.InferenceNormRelu;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * The inference form of every mini network, and of ResNet-26 and SASA-ResNet-26 on 32 x 32 images, agrees
 * with the network in evaluation mode: random weights, every norm with random γ, β and running statistics
 * (so that no fold is the identity and no residual branch is zero), logits within 1e-4 of the largest
 * logit, and the same top-1 class for every image of a batch.
 */
class FoldedNetworksTest {
    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        ModelZoo.names().stream().filter(n -> n.endsWith("-mini"))
                .forEach(n -> cases.add(Arguments.of(n, ModelZoo.defaultImage(n))));
        cases.add(Arguments.of("resnet26", Shape.of(3, 32, 32)));
        cases.add(Arguments.of("sasa-resnet26", Shape.of(3, 32, 32)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("networks")
    void foldedNetworkAgreesWithTheEvaluationModeNetwork(String name, Shape image) {
        Rng rng = new Rng(name.hashCode());
        Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), 10, rng.split("weights")));
        randomiseNorms(model, rng.split("norms"));
        Tensor x = Tensor.randn(rng.split("images"), 6, image.dim(0), image.dim(1), image.dim(2));
        model.eval();
        Tensor expected = logits(model, x);
        Module folded = Folding.fold(model);
        Tensor actual = logits(folded, x);
        assertTrue(foldedLayers(folded) >= 2 * 8, name + ": every block should fold, got " + foldedLayers(folded));
        double largest = 0;
        double worst = 0;
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            largest = Math.max(largest, Math.abs(e[i]));
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= 1e-4 * largest, name + ": logits differ by " + worst + ", more than 1e-4 of the largest "
                + largest);
        assertArrayEquals(expected.argmax(1, false).toFloatArray(), actual.argmax(1, false).toFloatArray(), name + ": top-1 classes");
    }

    private static Tensor logits(Module model, Tensor x) {
        try (var scope = Autograd.noGrad()) {
            return model.forward(new Variable(x)).data();
        }
    }

    /** Trained-looking norms: γ in [0.5, 1.5], β and μ normal times 0.5, σ² in [0.25, 2]. */
    private static void randomiseNorms(Module module, Rng rng) {
        if (module instanceof BatchNorm2d norm) {
            int c = norm.numFeatures();
            norm.weight().data().copyFrom(Tensor.uniform(rng, 0.5, 1.5, c));
            norm.bias().data().copyFrom(Tensor.randn(rng, c).mul(0.5));
            norm.runningMean().copyFrom(Tensor.randn(rng, c).mul(0.5));
            norm.runningVar().copyFrom(Tensor.uniform(rng, 0.25, 2, c));
        }
        module.children().values().forEach(child -> randomiseNorms(child, rng));
    }

    private static int foldedLayers(Module module) {
        int own = module instanceof InferenceConv2d || module instanceof FoldedLocalSelfAttention
                || module instanceof InferenceNormRelu ? 1 : 0;
        return own + module.children().values().stream().mapToInt(FoldedNetworksTest::foldedLayers).sum();
    }
}
