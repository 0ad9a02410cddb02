package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vista.nn.Init.FanMode;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/** Initialisers: fans, the Kaiming formulas, ranges, and reproducibility. */
class InitTest {

    @Test
    void fansOfConvolutionAndLinearWeights() {
        assertEquals(32 * 9, Init.fanIn(Shape.of(64, 32, 3, 3)));
        assertEquals(64 * 9, Init.fanOut(Shape.of(64, 32, 3, 3)));
        assertEquals(20, Init.fanIn(Shape.of(10, 20)));
        assertEquals(10, Init.fanOut(Shape.of(10, 20)));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Shape.of(10)));
    }

    @Test
    void kaimingNormalHasStandardDeviationGainOverSqrtFan() {
        Tensor w = Init.kaimingNormal(Tensor.zeros(128, 64, 3, 3), FanMode.FAN_OUT, Init.RELU_GAIN, new Rng(1));
        double std = Math.sqrt(2.0 / (128 * 9));
        double[] moments = moments(w);
        assertEquals(0, moments[0], 0.01 * std);
        assertEquals(std, moments[1], 0.01 * std);
        Tensor fanIn = Init.kaimingNormal(Tensor.zeros(128, 64, 3, 3), FanMode.FAN_IN, 1, new Rng(1));
        assertEquals(1 / Math.sqrt(64 * 9), moments(fanIn)[1], 0.01 / Math.sqrt(64 * 9));
    }

    @Test
    void kaimingUniformHasBoundGainTimesSqrtThreeOverFan() {
        Tensor w = Init.kaimingUniform(Tensor.zeros(64, 32, 3, 3), FanMode.FAN_IN, Init.RELU_GAIN, new Rng(2));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / (32 * 9));
        for (float v : w.toFloatArray()) {
            assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
        }
        assertEquals(bound / Math.sqrt(3), moments(w)[1], 0.01 * bound);
    }

    @Test
    void valuesAreTheStreamsDrawsInRowMajorOrder() {
        Tensor w = Init.normal(Tensor.zeros(2, 3), 1, 0.5, new Rng(3));
        Rng stream = new Rng(3);
        for (float v : w.toFloatArray()) {
            assertEquals((float) (1 + 0.5 * stream.nextGaussian()), v);
        }
        Tensor u = Init.uniform(Tensor.zeros(4), -2, 3, new Rng(4));
        stream = new Rng(4);
        for (float v : u.toFloatArray()) {
            assertEquals((float) (-2 + 5 * stream.nextDouble()), v);
        }
    }

    @Test
    void constantsAndLeakyReluGain() {
        assertArrayEquals(new float[] {0, 0, 0}, Init.zeros(Tensor.full(5, 3)).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Init.ones(Tensor.zeros(2)).toFloatArray());
        assertArrayEquals(new float[] {0.25f}, Init.constant(Tensor.zeros(1), 0.25).toFloatArray());
        assertEquals(Math.sqrt(2 / 1.0001), Init.leakyReluGain(0.01), 1e-15);
        assertEquals(Init.RELU_GAIN, Init.leakyReluGain(0), 0);
    }

    @Test
    void writesIntoViews() {
        Tensor base = Tensor.zeros(3, 4);
        Init.ones(base.slice(1, 1, 3));
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0}, base.toFloatArray());
    }

    /** Sample mean and standard deviation. */
    private static double[] moments(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(squares / v.length)};
    }
}
