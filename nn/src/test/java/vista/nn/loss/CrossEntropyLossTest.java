package vista.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.nn.loss.CrossEntropyLoss.Smoothing;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Cross-entropy against values computed by hand from the definition, for both smoothing conventions,
 * with logits {@code [[1, 2, 3], [0, 0, 0]]} and targets {@code [2, 0]}. Row 0 has
 * {@code log p = (1, 2, 3) - lse} with {@code lse = 3 + log(1 + e^-1 + e^-2)}; row 1 has
 * {@code log p = -log 3} everywhere.
 */
class CrossEntropyLossTest {
    private static final double LSE = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
    private static final double[][] LOG_P = {{1 - LSE, 2 - LSE, 3 - LSE}, {-Math.log(3), -Math.log(3), -Math.log(3)}};
    private static final int[] TARGETS = {2, 0};

    private static Variable logits(boolean requiresGrad) {
        return new Variable(Tensor.fromArray(new float[] {1, 2, 3, 0, 0, 0}, 2, 3), requiresGrad);
    }

    @Test
    void plainLossIsTheMeanNegativeLogProbabilityOfTheTargets() {
        double expected = (-LOG_P[0][2] - LOG_P[1][0]) / 2;
        assertEquals(expected, new CrossEntropyLoss().forward(logits(false), TARGETS).item(), 1e-6);
        assertEquals(0.7531091, expected, 1e-7);
    }

    @Test
    void torchSmoothingPutsEpsilonOverKOnEveryClass() {
        double eps = 0.1;
        double loss = 0;
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double w = eps / 3 + (k == TARGETS[n] ? 1 - eps : 0);
                loss -= w * LOG_P[n][k];
            }
        }
        assertEquals(loss / 2, new CrossEntropyLoss(eps, Smoothing.TORCH).forward(logits(false), TARGETS).item(), 1e-6);
    }

    @Test
    void sanSmoothingPutsEpsilonOverKMinusOneOnTheOtherClasses() {
        double eps = 0.1;
        double loss = 0;
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double w = k == TARGETS[n] ? 1 - eps : eps / 2;
                loss -= w * LOG_P[n][k];
            }
        }
        assertEquals(loss / 2, new CrossEntropyLoss(eps, Smoothing.SAN).forward(logits(false), TARGETS).item(), 1e-6);
    }

    @Test
    void targetDistributionsOfBothConventions() {
        assertArrayEquals(new double[] {0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3},
                new CrossEntropyLoss(0.1, Smoothing.TORCH).targetDistribution(new int[] {2}, 3).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.05, 0.05, 0.9},
                new CrossEntropyLoss(0.1, Smoothing.SAN).targetDistribution(new int[] {2}, 3).toDoubleArray(), 1e-15);
    }

    @Test
    void gradientIsSoftmaxMinusTargetOverN() {
        for (Smoothing smoothing : Smoothing.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss(0.2, smoothing);
            Variable z = logits(true);
            loss.forward(z, TARGETS).backward();
            double[] w = loss.targetDistribution(TARGETS, 3).toDoubleArray();
            float[] expected = new float[6];
            for (int i = 0; i < 6; i++) {
                expected[i] = (float) ((Math.exp(LOG_P[i / 3][i % 3]) - w[i]) / 2);
            }
            assertArrayEquals(expected, z.grad().toFloatArray(), 1e-7f, smoothing.toString());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(1);
        int[] targets = {3, 0, 4, 4, 1};
        for (CrossEntropyLoss loss : new CrossEntropyLoss[] {new CrossEntropyLoss(),
            new CrossEntropyLoss(0.1, Smoothing.TORCH), new CrossEntropyLoss(0.3, Smoothing.SAN)}) {
            GradCheck.of(v -> loss.forward(v[0], targets), Tensor.randn(rng, 5, 5).mul(2)).assertPasses();
        }
    }

    @Test
    void largeLogitsStayFinite() {
        Variable z = new Variable(Tensor.fromArray(new float[] {1000, 0, -1000, 0}, 2, 2));
        assertEquals(500, new CrossEntropyLoss().forward(z, new int[] {0, 0}).item(), 1e-3,
                "row 0 costs 0, row 1 costs 1000");
    }

    @Test
    void rejectsTargetsOutsideTheClassesNamingTheIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits(false), new int[] {2, 3}));
        assertEquals("CrossEntropyLoss: target 3 at index 1 is outside the classes [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(0.1, Smoothing.SAN).forward(logits(false), new int[] {-1, 0}));
        assertEquals("CrossEntropyLoss(smoothing 0.1 SAN): target -1 at index 0 is outside the classes [0, 3)",
                e.getMessage());
    }

    @Test
    void rejectsLogitsThatDoNotMatchTheTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits(false), new int[] {0, 1, 2}));
        assertEquals("CrossEntropyLoss: expected logits (N, K) with N = 3 (the number of targets, at least 1), "
                + "got [2, 3]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(1.5, Smoothing.TORCH));
    }
}
