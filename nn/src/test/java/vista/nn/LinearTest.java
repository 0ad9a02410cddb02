package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Linear: y = x W^T + b, its gradients, PyTorch's initialisation and names, and its errors. */
class LinearTest {

    @Test
    void outputIsInputTimesWeightTransposedPlusBias() {
        Linear linear = new Linear(3, 2, new Rng(1));
        linear.loadStateDict(Map.of("weight", Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "bias", Tensor.fromArray(new float[] {0.5f, -1}, 2)));
        Tensor x = Tensor.fromArray(new float[] {1, 0, -1, 2, 1, 0}, 2, 3);
        // Row 0: (1 - 3 + 0.5, 4 - 6 - 1); row 1: (2 + 2 + 0.5, 8 + 5 - 1).
        assertArrayEquals(new float[] {-1.5f, -3, 4.5f, 12}, linear.forward(new Variable(x)).data().toFloatArray());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        GradCheck.of(v -> Linear.linear(v[0], v[1], v[2]),
                Tensor.randn(rng, 4, 12), Tensor.randn(rng, 5, 12), Tensor.randn(rng, 5)).assertPasses();
        GradCheck.of(v -> Linear.linear(v[0], v[1], v[2]),
                Tensor.randn(rng, 2, 3, 4), Tensor.randn(rng, 5, 4), Tensor.randn(rng, 5)).assertPasses();
        GradCheck.of(v -> Linear.linear(v[0], v[1], null), Tensor.randn(rng, 3, 4), Tensor.randn(rng, 2, 4))
                .assertPasses();
    }

    @Test
    void moduleGradientsReachWeightAndBias() {
        Linear linear = new Linear(3, 2, new Rng(3));
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, -1, 0, 1}, 2, 3);
        linear.forward(new Variable(x)).sum().backward();
        // dL/dW = g^T x with g all ones: each row of W gets the column sums of x; dL/db = N.
        assertArrayEquals(new float[] {0, 2, 4, 0, 2, 4}, linear.weight().grad().toFloatArray());
        assertArrayEquals(new float[] {2, 2}, linear.bias().grad().toFloatArray());
    }

    @Test
    void defaultInitialisationIsUniformWithinOneOverSqrtOfInFeatures() {
        Linear linear = new Linear(64, 32, new Rng(4));
        double bound = 1 / Math.sqrt(64);
        float[] w = linear.weight().data().toFloatArray();
        double sumSquares = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
            sumSquares += v * v;
        }
        assertEquals(bound * bound / 3, sumSquares / w.length, 0.1 * bound * bound / 3, "variance of U(-b, b)");
        for (float v : linear.bias().data().toFloatArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside +-" + bound);
        }
        Linear same = new Linear(64, 32, new Rng(4));
        assertArrayEquals(w, same.weight().data().toFloatArray(), "same seed, same weights");
        float first = (float) (-bound + 2 * bound * new Rng(4).nextDouble());
        assertEquals(first, w[0], "the first weight is the first draw of the stream");
    }

    @Test
    void parametersHavePyTorchNames() {
        assertEquals(List.of("weight", "bias"), List.copyOf(new Linear(3, 2, new Rng(5)).namedParameters().keySet()));
        assertEquals(List.of("weight"), List.copyOf(new Linear(3, 2, false, new Rng(5)).namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 3}, new Linear(3, 2, new Rng(5)).weight().dims(), "weight is (out, in)");
    }

    @Test
    void rejectsInputOfTheWrongWidth() {
        Linear linear = new Linear(12, 5, new Rng(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linear.forward(new Variable(Tensor.zeros(4, 10))));
        assertEquals("Linear(12->5): expected input (N, 12), got [4, 10]", e.getMessage());
    }
}
