package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.autograd.functions.BatchNorm;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/** BatchNorm2d: batch statistics in training, running statistics (unbiased, momentum) and evaluation mode. */
class BatchNorm2dTest {
    private static final double EPS = 1e-5;

    @Test
    void trainModeGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(1);
        GradCheck.of(v -> new BatchNorm(EPS).apply(v[0], v[1], v[2]),
                Tensor.randn(rng, 3, 2, 3, 2), Tensor.uniform(rng, 0.5, 2, 2), Tensor.randn(rng, 2)).assertPasses();
        BatchNorm2d bn = withParameters(new BatchNorm2d(3), rng);
        GradCheck.of(v -> bn.forward(v[0]), Tensor.randn(rng, 2, 3, 2, 3).mul(2).add(1)).assertPasses();
    }

    @Test
    void evalModeGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        BatchNorm2d bn = withParameters(new BatchNorm2d(3), rng);
        bn.eval();
        GradCheck.of(v -> bn.forward(v[0]), Tensor.randn(rng, 2, 3, 2, 3)).assertPasses();
    }

    @Test
    void trainingOutputIsTheNormalisedBatch() {
        Rng rng = new Rng(3);
        BatchNorm2d bn = withParameters(new BatchNorm2d(3), rng);
        Tensor x = Tensor.randn(rng, 4, 3, 5, 5).mul(3).add(2);
        Tensor y = bn.forward(new Variable(x)).data();
        Tensor mean = x.mean(new int[] {0, 2, 3}, true);
        Tensor variance = x.var(new int[] {0, 2, 3}, true, 0);
        Tensor expected = x.sub(mean).div(variance.add(EPS).sqrt())
                .mul(bn.weight().data().reshape(1, 3, 1, 1)).add(bn.bias().data().reshape(1, 3, 1, 1));
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-5f);
    }

    @Test
    void runningStatisticsUseTheUnbiasedVarianceAndMomentum() {
        Rng rng = new Rng(4);
        BatchNorm2d bn = new BatchNorm2d(3, EPS, 0.25);
        float[] runningMean = {0.1f, 0.2f, 0.3f};
        float[] runningVar = {1, 2, 3};
        bn.loadStateDict(Map.of("weight", Tensor.ones(3), "bias", Tensor.zeros(3),
                "running_mean", Tensor.fromArray(runningMean, 3), "running_var", Tensor.fromArray(runningVar, 3)));
        for (int pass = 0; pass < 2; pass++) {
            Tensor x = Tensor.randn(rng, 2, 3, 2, 3).mul(2).add(pass);
            bn.forward(new Variable(x));
            float[] values = x.toFloatArray();
            for (int c = 0; c < 3; c++) {
                int n = 2 * 2 * 3;
                double sum = 0;
                for (int i = 0; i < 2; i++) {
                    for (int p = 0; p < 6; p++) {
                        sum += values[(i * 3 + c) * 6 + p];
                    }
                }
                double mean = sum / n;
                double squares = 0;
                for (int i = 0; i < 2; i++) {
                    for (int p = 0; p < 6; p++) {
                        double d = values[(i * 3 + c) * 6 + p] - mean;
                        squares += d * d;
                    }
                }
                runningMean[c] = (float) (0.75 * runningMean[c] + 0.25 * mean);
                runningVar[c] = (float) (0.75 * runningVar[c] + 0.25 * squares / (n - 1));
            }
            assertArrayEquals(runningMean, bn.runningMean().toFloatArray(), 1e-6f, "running_mean after pass " + pass);
            assertArrayEquals(runningVar, bn.runningVar().toFloatArray(), 1e-6f, "running_var after pass " + pass);
        }
    }

    @Test
    @SuppressWarnings("try")
    void runningStatisticsAreUpdatedWithoutGradientRecording() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.fromArray(new float[] {1, 3, 5, 7, 2, 2, 4, 4}, 2, 2, 1, 2);
        try (var scope = Autograd.noGrad()) {
            bn.forward(new Variable(x));
        }
        // Channel 0 holds 1, 3, 2, 2 (mean 2, unbiased variance 2/3); channel 1 holds 5, 7, 4, 4 (mean 5, 2).
        assertArrayEquals(new float[] {0.2f, 0.5f}, bn.runningMean().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 2 / 3f, 0.9f + 0.2f}, bn.runningVar().toFloatArray(), 1e-7f);
    }

    @Test
    void evalModeUsesTheRunningStatisticsAndLeavesThemUnchanged() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.loadStateDict(Map.of("weight", Tensor.fromArray(new float[] {2, 0.5f}, 2),
                "bias", Tensor.fromArray(new float[] {1, -1}, 2),
                "running_mean", Tensor.fromArray(new float[] {0.5f, -2}, 2),
                "running_var", Tensor.fromArray(new float[] {4, 0.25f}, 2)));
        bn.eval();
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        float[] y = bn.forward(new Variable(x)).data().toFloatArray();
        float[] expected = new float[8];
        for (int i = 0; i < 8; i++) {
            int c = i / 4;
            double mean = c == 0 ? 0.5 : -2;
            double var = c == 0 ? 4 : 0.25;
            expected[i] = (float) ((i + 1 - mean) / Math.sqrt(var + EPS) * (c == 0 ? 2 : 0.5) + (c == 0 ? 1 : -1));
        }
        assertArrayEquals(expected, y, 1e-5f);
        assertArrayEquals(new float[] {0.5f, -2}, bn.runningMean().toFloatArray());
        assertArrayEquals(new float[] {4, 0.25f}, bn.runningVar().toFloatArray());
    }

    @Test
    void sameBitsForAnyThreadCount() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 4, 16, 24, 24).mul(2).add(0.5);
        Tensor r = Tensor.randn(rng, 4, 16, 24, 24);
        List<float[]> one = trainStep(1, x, r);
        for (int threads : new int[] {2, 3}) {
            List<float[]> many = trainStep(threads, x, r);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(bits(one.get(i)), bits(many.get(i)), "result " + i + " with " + threads + " threads");
            }
        }
    }

    /** Output, input gradient, γ and β gradients and both running statistics after one training step. */
    private static List<float[]> trainStep(int threads, Tensor x, Tensor r) {
        return Parallel.withThreads(threads, () -> {
            BatchNorm2d bn = withParameters(new BatchNorm2d(16), new Rng(6));
            Variable input = new Variable(x, true);
            Variable y = bn.forward(input);
            y.mul(new Variable(r)).sum().backward();
            return List.of(y.data().toFloatArray(), input.grad().toFloatArray(), bn.weight().grad().toFloatArray(),
                    bn.bias().grad().toFloatArray(), bn.runningMean().toFloatArray(), bn.runningVar().toFloatArray());
        });
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToIntBits(values[i]);
        }
        return b;
    }

    @Test
    void stateDictHasPyTorchNamesWithoutNumBatchesTracked() {
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"),
                List.copyOf(new BatchNorm2d(4).stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(new BatchNorm2d(4).namedParameters().keySet()));
    }

    @Test
    void rejectsInputWithTheWrongChannelCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(64).forward(new Variable(Tensor.zeros(8, 32, 28, 28))));
        assertEquals("BatchNorm2d(64): expected input (N, 64, H, W), got [8, 32, 28, 28]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(4).forward(new Variable(Tensor.zeros(8, 4))));
        assertEquals("BatchNorm2d(4): expected input (N, 4, H, W), got [8, 4]", e.getMessage());
    }

    @Test
    void rejectsASingleValuePerChannelInTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(3).forward(new Variable(Tensor.zeros(1, 3, 1, 1))));
        assertEquals("BatchNorm2d(3): training mode needs more than one value per channel to estimate the "
                + "variance, got input [1, 3, 1, 1]", e.getMessage());
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.eval();
        assertEquals(3, bn.forward(new Variable(Tensor.zeros(1, 3, 1, 1))).numel(), "evaluation mode accepts it");
    }

    /** {@code bn} with γ uniform in [0.5, 2) and β standard normal. */
    private static BatchNorm2d withParameters(BatchNorm2d bn, Rng rng) {
        int c = bn.numFeatures();
        bn.weight().data().copyFrom(Tensor.uniform(rng, 0.5, 2, c));
        bn.bias().data().copyFrom(Tensor.randn(rng, c));
        return bn;
    }
}
