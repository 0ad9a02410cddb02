package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.BatchNorm;
import vista.autograd.functions.BatchNormRelu;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * {@link BatchNorm2d#forwardRelu}: the bits of {@code forward(x).relu()} (output, dL/dx, dL/dγ, dL/dβ and
 * the running statistics after two steps) in training and evaluation mode, and the registered ReLU's call
 * recorded as before.
 */
class BatchNorm2dReluTest {
    private static final int[][] SHAPES = {{4, 3, 5, 7}, {2, 16, 14, 14}, {8, 5, 1, 1}, {1, 4, 3, 37}};

    @Test
    void forwardReluHasTheBitsOfForwardThenReluInBothModes() {
        Rng rng = new Rng(31);
        for (int[] dims : SHAPES) {
            for (boolean training : new boolean[] {true, false}) {
                Tensor gamma = Tensor.uniform(rng, -2, 2, dims[1]);
                Tensor beta = Tensor.randn(rng, dims[1]);
                Tensor[] xs = {Tensor.randn(rng, dims).mul(2).add(0.5), Tensor.randn(rng, dims)};
                Tensor w = Tensor.randn(rng, dims);
                String what = Arrays.toString(dims) + (training ? " training" : " eval");
                List<Tensor> expected = steps(gamma, beta, xs, w, training, (bn, x) -> bn.forward(x).relu());
                List<Tensor> actual = steps(gamma, beta, xs, w, training, BatchNorm2d::forwardRelu);
                List<Tensor> withLayer = steps(gamma, beta, xs, w, training, (bn, x) -> bn.forwardRelu(x, new ReLU()));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(bits(expected.get(i)), bits(actual.get(i)), what + ", result " + i);
                    assertArrayEquals(bits(expected.get(i)), bits(withLayer.get(i)), what + ", result " + i);
                }
            }
        }
    }

    @Test
    void aSequentialRunsANormAndTheReluAfterItAsOneFusedNode() {
        Rng rng = new Rng(33);
        int[] dims = {4, 6, 5, 5};
        Tensor gamma = Tensor.uniform(rng, -2, 2, dims[1]);
        Tensor beta = Tensor.randn(rng, dims[1]);
        Tensor[] xs = {Tensor.randn(rng, dims), Tensor.randn(rng, dims).mul(3)};
        Tensor w = Tensor.randn(rng, dims);
        List<Tensor> expected = steps(gamma, beta, xs, w, true, (bn, x) -> bn.forward(x).relu());
        List<Tensor> actual = steps(gamma, beta, xs, w, true, (bn, x) -> new Sequential(bn, new ReLU()).forward(x));
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(bits(expected.get(i)), bits(actual.get(i)), "result " + i);
        }
        Variable y = new Sequential(new BatchNorm2d(dims[1]), new ReLU()).forward(new Variable(xs[0], true));
        assertEquals(BatchNormRelu.class, y.gradFn().getClass());
        Variable unfused = new Sequential(new ReLU(), new BatchNorm2d(dims[1])).forward(new Variable(xs[0], true));
        assertEquals(BatchNorm.class, unfused.gradFn().getClass());
    }

    /**
     * Two steps of a fresh layer with γ and β on inputs xs: per step the output, dL/dx, dL/dγ and dL/dβ of
     * sum(w * output); then the running mean and variance.
     */
    private static List<Tensor> steps(Tensor gamma, Tensor beta, Tensor[] xs, Tensor w, boolean training,
                                      BiFunction<BatchNorm2d, Variable, Variable> f) {
        BatchNorm2d bn = new BatchNorm2d(gamma.numel());
        bn.weight().data().copyFrom(gamma);
        bn.bias().data().copyFrom(beta);
        bn.train(training);
        List<Tensor> results = new ArrayList<>();
        for (Tensor xData : xs) {
            bn.weight().zeroGrad();
            bn.bias().zeroGrad();
            Variable x = new Variable(xData.copy(), true);
            Variable y = f.apply(bn, x);
            results.add(y.data().copy());
            y.mul(new Variable(w)).sum().backward();
            results.addAll(List.of(x.grad(), bn.weight().grad(), bn.bias().grad()));
        }
        results.addAll(List.of(bn.runningMean().copy(), bn.runningVar().copy()));
        return results;
    }

    @Test
    void theReluLayerIsRecordedAfterTheNormInEitherMode() {
        Rng rng = new Rng(32);
        BatchNorm2d bn = new BatchNorm2d(3);
        ReLU relu = new ReLU();
        Variable x = new Variable(Tensor.randn(rng, 2, 3, 4, 4));
        for (boolean training : new boolean[] {true, false}) {
            bn.train(training);
            List<Ledger.LayerCall> calls;
            try (var scope = Autograd.noGrad(); Ledger ledger = Ledger.open()) {
                bn.forwardRelu(x, relu);
                calls = ledger.layerCalls();
            }
            assertEquals(2, calls.size(), "training " + training);
            assertSame(bn, calls.get(0).layer());
            assertSame(relu, calls.get(1).layer());
            assertEquals(x.shape(), calls.get(1).output());
        }
    }

    private static int[] bits(Tensor t) {
        return Arrays.stream(t.toDoubleArray()).mapToInt(v -> Float.floatToRawIntBits((float) v)).toArray();
    }
}
