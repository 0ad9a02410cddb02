package vista.learn.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.kernels.SoftmaxReference;

/**
 * The checks of the softmax-backward exercise: the answer against central finite differences of
 * {@code L(x) = sum_i g_i softmax(x)_i}, computed with Vista's scalar reference softmax in float64.
 */
abstract class Chapter2SoftmaxBackwardChecks {
    private static final double STEP = 1e-6;

    abstract SoftmaxBackward softmaxBackward();

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(5);
        for (int length : new int[] {1, 2, 7, 16}) {
            double[] x = Tensor.randn(rng, length).mul(2).toDoubleArray();
            double[] g = Tensor.randn(rng, length).toDoubleArray();
            double[] y = softmax(x);
            double[] analytic = softmaxBackward().inputGradient(y.clone(), g.clone());
            assertEquals(length, analytic.length, "one gradient per input element");
            for (int k = 0; k < length; k++) {
                double[] plus = x.clone();
                double[] minus = x.clone();
                plus[k] += STEP;
                minus[k] -= STEP;
                double numeric = (loss(plus, g) - loss(minus, g)) / (2 * STEP);
                assertEquals(numeric, analytic[k], 1e-7, "dL/dx[" + k + "] of a row of " + length);
            }
        }
    }

    @Test
    void aShiftOfTheInputChangesNothingSoTheGradientSumsToZero() {
        double[] y = softmax(new double[] {0.5, -1, 2, 0});
        double[] dx = softmaxBackward().inputGradient(y, new double[] {1, 2, -3, 0.25});
        double sum = 0;
        for (double d : dx) {
            sum += d;
        }
        assertEquals(0, sum, 1e-12, "softmax(x + c) = softmax(x), so sum_k dL/dx_k must be 0");
    }

    @Test
    void aUniformUpstreamGradientGivesZero() {
        double[] y = softmax(new double[] {3, 1, 4, 1, 5});
        double[] dx = softmaxBackward().inputGradient(y, new double[] {2, 2, 2, 2, 2});
        assertArrayEquals(new double[5], dx, 1e-12, "the outputs always sum to 1, so g = (c, ..., c) moves nothing");
    }

    private static double[] softmax(double[] x) {
        return SoftmaxReference.softmax(Tensor.fromArray(x, x.length), 0).toDoubleArray();
    }

    private static double loss(double[] x, double[] g) {
        double[] y = softmax(x);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += g[i] * y[i];
        }
        return sum;
    }
}
