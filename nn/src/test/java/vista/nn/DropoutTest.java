package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/** Dropout: inverted scaling, reproducible masks, identity in evaluation mode. */
class DropoutTest {

    @Test
    void identityInEvalMode() {
        Dropout dropout = new Dropout(0.5, new Rng(1));
        dropout.eval();
        Variable x = new Variable(Tensor.randn(new Rng(2), 3, 4));
        assertSame(x, dropout.forward(x));
        assertEquals(0, dropout.calls(), "evaluation mode draws no mask");
    }

    @Test
    void keptValuesAreScaledByOneOverOneMinusP() {
        Dropout dropout = new Dropout(0.3, new Rng(3));
        Tensor x = Tensor.uniform(new Rng(4), 0.5, 1, 100, 100);
        float[] in = x.toFloatArray();
        float[] out = dropout.forward(new Variable(x)).data().toFloatArray();
        int kept = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] != 0) {
                kept++;
                assertEquals(in[i] * (float) (1 / 0.7), out[i], 1e-6f);
            }
        }
        // Kept count ~ Binomial(10000, 0.7): mean 7000, standard deviation about 46.
        assertEquals(7000, kept, 4 * 46);
    }

    @Test
    void deterministicForTheSameSeedAndAnyThreadCount() {
        Tensor x = Tensor.randn(new Rng(5), 8, 16, 9, 9);
        float[] one = Parallel.withThreads(1, () -> twoPasses(x));
        for (int threads : new int[] {2, 3}) {
            assertArrayEquals(one, Parallel.withThreads(threads, () -> twoPasses(x)), threads + " threads");
        }
    }

    /** Two training-mode passes of a fresh layer with seed 6, concatenated. */
    private static float[] twoPasses(Tensor x) {
        Dropout dropout = new Dropout(0.5, new Rng(6));
        float[] a = dropout.forward(new Variable(x)).data().toFloatArray();
        float[] b = dropout.forward(new Variable(x)).data().toFloatArray();
        float[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void eachPassDrawsANewMaskAndResumingRepeatsIt() {
        Dropout dropout = new Dropout(0.5, new Rng(7));
        Variable x = new Variable(Tensor.ones(64));
        float[] first = dropout.forward(x).data().toFloatArray();
        float[] second = dropout.forward(x).data().toFloatArray();
        assertFalse(Arrays.equals(first, second));
        assertEquals(2, dropout.calls());
        Dropout resumed = new Dropout(0.5, new Rng(7));
        resumed.setCalls(1);
        assertArrayEquals(second, resumed.forward(x).data().toFloatArray());
    }

    @Test
    void maskFollowsTheDocumentedStream() {
        Dropout dropout = new Dropout(0.25, new Rng(8));
        float[] out = dropout.forward(new Variable(Tensor.ones(32))).data().toFloatArray();
        Rng stream = new Rng(8).split(0);
        for (float v : out) {
            assertEquals(stream.nextDouble() >= 0.25 ? (float) (1 / 0.75) : 0f, v);
        }
    }

    @Test
    void gradientIsTheScaledMask() {
        Dropout dropout = new Dropout(0.4, new Rng(9));
        Variable x = new Variable(Tensor.ones(50), true);
        Variable y = dropout.forward(x);
        y.sum().backward();
        assertArrayEquals(y.data().toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void probabilityZeroIsIdentityAndOneDropsEverything() {
        Variable x = new Variable(Tensor.randn(new Rng(10), 10));
        assertSame(x, new Dropout(0, new Rng(11)).forward(x));
        assertArrayEquals(new float[10], new Dropout(1, new Rng(11)).forward(x).data().toFloatArray(), 0f);
    }

    @Test
    void rejectsProbabilityOutsideTheUnitInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Rng(1)));
        assertTrue(e.getMessage().contains("[0, 1], got 1.5"), e.getMessage());
    }
}
