package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import vista.autograd.functions.Add;
import vista.autograd.functions.AddRelu;
import vista.autograd.functions.BatchNorm;
import vista.autograd.functions.BatchNormRelu;
import vista.autograd.functions.Relu;
import vista.tensor.BufferPool;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The fused functions against the graphs they replace, bit for bit: {@link BatchNormRelu} against
 * {@link BatchNorm} then {@link Relu} (output, batch statistics, dL/dx, dL/dγ, dL/dβ), {@link AddRelu}
 * against {@link Add} then {@link Relu} (output and both gradients, also with one variable as both
 * operands), in float32 and float64, and inside a {@link BufferPool} step after step.
 */
class FusedReluFunctionsTest {
    private static final double EPS = 1e-5;
    private static final int[][] SHAPES = {{4, 3, 5, 7}, {2, 8, 14, 14}, {3, 2, 1, 37}, {5, 4, 3}, {2, 3, 4, 5}};

    @Test
    void batchNormReluHasTheBitsOfBatchNormThenRelu() {
        Rng rng = new Rng(21);
        for (int[] dims : SHAPES) {
            for (boolean zeroAffine : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    int channels = dims[1];
                    Tensor x = Tensor.randn(rng, dims).mul(1.5).add(0.3).to(dtype);
                    Tensor gamma = (zeroAffine ? Tensor.zeros(channels) : Tensor.uniform(rng, -2, 2, channels))
                            .to(dtype);
                    Tensor beta = (zeroAffine ? Tensor.zeros(channels) : Tensor.randn(rng, channels)).to(dtype);
                    Tensor w = Tensor.randn(rng, dims).to(dtype);
                    String what = Arrays.toString(dims) + " " + dtype + (zeroAffine ? " with γ = β = 0" : "");
                    BatchNorm plainNode = new BatchNorm(EPS);
                    List<Tensor> plain = run(new Tensor[] {x, gamma, beta}, w,
                            v -> new Relu().apply(plainNode.apply(v[0], v[1], v[2])));
                    BatchNormRelu fusedNode = new BatchNormRelu(EPS);
                    List<Tensor> fused = run(new Tensor[] {x, gamma, beta}, w, v -> fusedNode.apply(v[0], v[1], v[2]));
                    assertSameBits(plain, fused, what);
                    assertArrayEquals(bits(plainNode.mean()), bits(fusedNode.mean()), what + ": mean");
                    assertArrayEquals(bits(plainNode.variance()), bits(fusedNode.variance()), what + ": variance");
                }
            }
        }
    }

    @Test
    void addReluHasTheBitsOfAddThenRelu() {
        Rng rng = new Rng(22);
        for (int[] dims : SHAPES) {
            for (DType dtype : DType.values()) {
                Tensor a = Tensor.randn(rng, dims).to(dtype);
                Tensor b = Tensor.randn(rng, dims).to(dtype);
                Tensor w = Tensor.randn(rng, dims).to(dtype);
                String what = Arrays.toString(dims) + " " + dtype;
                assertSameBits(run(new Tensor[] {a, b}, w, v -> new Relu().apply(new Add().apply(v[0], v[1]))),
                        run(new Tensor[] {a, b}, w, v -> new AddRelu().apply(v[0], v[1])), what);
                assertSameBits(run(new Tensor[] {a, a.neg()}, w, v -> new Relu().apply(new Add().apply(v[0], v[1]))),
                        run(new Tensor[] {a, a.neg()}, w, v -> new AddRelu().apply(v[0], v[1])), what + ", a + (-a)");
                assertSameBits(run(new Tensor[] {a}, w, v -> new Relu().apply(new Add().apply(v[0], v[0]))),
                        run(new Tensor[] {a}, w, v -> new AddRelu().apply(v[0], v[0])), what + ", a + a");
            }
        }
    }

    @Test
    void theFusedBlockHasTheSameGradientsInABufferPoolStepAfterStep() {
        Rng rng = new Rng(23);
        int[] dims = {4, 6, 9, 9};
        Tensor[] in = {Tensor.randn(rng, dims), Tensor.uniform(rng, 0.5, 2, 6), Tensor.randn(rng, 6),
            Tensor.randn(rng, dims)};
        Tensor w = Tensor.randn(rng, dims);
        Function<Variable[], Variable> unfused = v -> new Relu().apply(new Add().apply(
                new Relu().apply(new BatchNorm(EPS).apply(v[0], v[1], v[2])), v[3]));
        Function<Variable[], Variable> fused = v -> new AddRelu().apply(
                new BatchNormRelu(EPS).apply(v[0], v[1], v[2]), v[3]);
        List<Tensor> expected = run(in, w, unfused);
        BufferPool pool = new BufferPool();
        for (int step = 0; step < 3; step++) {
            try (BufferPool.Scope scope = pool.use()) {
                assertSameBits(expected, run(in, w, fused), "step " + step);
            }
        }
    }

    /** The output of {@code f} on leaves holding {@code inputs}, then the leaves' gradients of sum(w * output). */
    private static List<Tensor> run(Tensor[] inputs, Tensor w, Function<Variable[], Variable> f) {
        Variable[] leaves = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = new Variable(inputs[i].copy(), true);
        }
        Variable out = f.apply(leaves);
        List<Tensor> results = new ArrayList<>(List.of(out.data().copy()));
        out.mul(new Variable(w)).sum().backward();
        for (Variable leaf : leaves) {
            results.add(leaf.grad());
        }
        return results;
    }

    private static void assertSameBits(List<Tensor> expected, List<Tensor> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).dtype(), actual.get(i).dtype(), what + ", result " + i);
            assertArrayEquals(bits(expected.get(i)), bits(actual.get(i)), what + ", result " + i
                    + (i == 0 ? " (output)" : " (gradient of input " + (i - 1) + ")"));
        }
    }

    private static long[] bits(Tensor t) {
        return Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
