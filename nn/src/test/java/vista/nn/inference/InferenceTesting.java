package vista.nn.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Helpers of the inference tests: norms with trained-looking statistics, and outputs compared. */
final class InferenceTesting {
    private InferenceTesting() {
    }

    /** γ in [0.5, 1.5], β and μ standard normal times 0.5, σ² in [0.25, 2]: nothing a fold could skip. */
    static void randomiseNorm(BatchNorm2d norm, Rng rng) {
        int c = norm.numFeatures();
        norm.weight().data().copyFrom(Tensor.uniform(rng, 0.5, 1.5, c));
        norm.bias().data().copyFrom(Tensor.randn(rng, c).mul(0.5));
        norm.runningMean().copyFrom(Tensor.randn(rng, c).mul(0.5));
        norm.runningVar().copyFrom(Tensor.uniform(rng, 0.25, 2, c));
    }

    /** {@code module}'s output for {@code x} under no-grad. */
    static Tensor run(Module module, Tensor x) {
        try (var scope = Autograd.noGrad()) {
            return module.forward(new Variable(x)).data();
        }
    }

    /** Fails unless every element differs by at most {@code relative} times the largest |expected|. */
    static void assertCloseRelativeToLargest(Tensor expected, Tensor actual, double relative, String what) {
        assertTrue(expected.shape().equals(actual.shape()), what + ": shapes " + expected.shape() + " and "
                + actual.shape());
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            largest = Math.max(largest, Math.abs(e[i]));
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(largest > 0, what + ": the expected output is all zero, which checks nothing");
        assertTrue(worst <= relative * largest, what + ": largest difference " + worst + " exceeds " + relative
                + " of the largest value " + largest);
    }
}
