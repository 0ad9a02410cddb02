package vista.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Tensor;

/**
 * SGD against trajectories computed by hand with PyTorch's formulas. Parameters w = (1, -2) of shape
 * (1, 2) and b = (0.5) of shape (1); the loss {@code sum(w²)/2 + 3 sum(b)} gives {@code ∇w = w} and
 * {@code ∇b = 3}; η = 0.1, λ = 0.01 (b excluded from weight decay as a one-dimensional parameter where
 * stated). Three steps each; the expected values are the double-precision results of
 * <pre>
 *   g = ∇ + λ p;  v = g (first step) or μ v + g;  s = g + μ v (Nesterov) or v;  p = p - η s
 * </pre>
 */
class SgdTest {
    private final Variable w = new Variable(Tensor.fromArray(new float[] {1, -2}, 1, 2), true);
    private final Variable b = new Variable(Tensor.fromArray(new float[] {0.5f}, 1), true);
    private final Map<String, Variable> parameters = new LinkedHashMap<>(Map.of("w", w));

    SgdTest() {
        parameters.put("b", b);
    }

    private void computeGradients() {
        w.zeroGrad();
        b.zeroGrad();
        w.mul(w).sum().div(2).add(b.mul(3).sum()).backward();
    }

    private void assertTrajectory(Sgd sgd, double[][] expectedW, double[] expectedB) {
        for (int step = 0; step < 3; step++) {
            computeGradients();
            sgd.step();
            assertArrayEquals(expectedW[step], w.data().toDoubleArray(), 1e-6, "w after step " + (step + 1));
            assertEquals(expectedB[step], b.data().item(), 1e-6, "b after step " + (step + 1));
        }
    }

    @Test
    void momentumWithWeightDecayExcludingOneDimensionalParameters() {
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).optWeightDecay(0.01)
                .optNoWeightDecay(Sgd.oneDimensional(parameters)).build();
        assertTrajectory(sgd,
                new double[][] {{0.899, -1.798}, {0.717301, -1.434602}, {0.481324499, -0.962648998}},
                new double[] {0.2, -0.37, -1.183});
        assertArrayEquals(new double[] {2.35976501, -4.71953002}, sgd.stateDict().get("w").toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {8.13}, sgd.stateDict().get("b").toDoubleArray(), 1e-5);
    }

    @Test
    void nesterovMomentum() {
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).optNesterov(true)
                .optWeightDecay(0.01).optNoWeightDecay(Sgd.oneDimensional(parameters)).build();
        assertTrajectory(sgd,
                new double[][] {{0.8081, -1.6162}, {0.57121561, -1.14243122}, {0.3218596734, -0.6437193469}},
                new double[] {-0.07, -0.883, -1.9147});
    }

    @Test
    void plainSgdWithWeightDecayOnEveryParameter() {
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.1).optWeightDecay(0.01).build();
        assertTrajectory(sgd,
                new double[][] {{0.899, -1.798}, {0.808201, -1.616402}, {0.726572699, -1.453145398}},
                new double[] {0.1995, -0.1006995, -0.4005988005});
        assertTrue(sgd.stateDict().isEmpty(), "no velocity without momentum");
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).build();
        w.mul(w).sum().backward();
        sgd.step();
        assertEquals(0.5, b.data().item(), 0, "b had no gradient");
        assertEquals(List.of("w"), List.copyOf(sgd.stateDict().keySet()));
    }

    @Test
    void stateDictRoundTripResumesTheTrajectory() {
        Sgd first = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).build();
        computeGradients();
        first.step();
        Map<String, Tensor> state = first.stateDict();
        Sgd second = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).build();
        second.loadStateDict(state);
        float[] wBefore = w.data().toFloatArray();
        computeGradients();
        second.step();
        // v = 0.9 * 1.0 + 0.9 = 1.8 for w[0] (∇ = w = 0.9 after the first step), so w[0] = 0.9 - 0.18.
        assertEquals(wBefore[0] - 0.18f, w.data().toFloatArray()[0], 1e-6f);
    }

    @Test
    void loadStateDictRejectsUnknownNamesAndWrongShapes() {
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.1).optMomentum(0.9).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("x", Tensor.zeros(1))));
        assertEquals("Sgd.loadStateDict: the state does not fit the parameters. Unexpected: x.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(Map.of("w", Tensor.zeros(2))));
        assertEquals("Sgd.loadStateDict: the state does not fit the parameters. Wrong shape: w (expected [1, 2], "
                + "got [2]).", e.getMessage());
    }

    @Test
    void builderRequiresALearningRateAndMomentumForNesterov() {
        assertThrows(IllegalStateException.class, () -> Sgd.builder(parameters).build());
        assertThrows(IllegalStateException.class,
                () -> Sgd.builder(parameters).setLearningRate(0.1).optNesterov(true).build());
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder(parameters).setLearningRate(-1));
    }
}
