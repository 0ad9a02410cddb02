package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The fused kernels against the two steps they replace, bit for bit, in both implementations: batch
 * normalisation then {@link Tensor#relu()}, and backward through the ReLU ({@code g * (y > 0)}, as the
 * autograd ReLU computes it) then batch normalisation's backward; {@code a.add(b).relu()} and its masked
 * gradient. The inputs include exact zeros before the ReLU (γ = β = 0) and negative gradients there,
 * whose masked value is -0.
 */
class FusedReluTest {
    private static final double EPS = 1e-5;
    private static final int[][] SHAPES = {{4, 3, 5, 7}, {2, 5, 1, 37}, {3, 2, 16, 16}, {1, 3, 2, 2}};

    @Test
    void batchNormReluIsBatchNormThenReluInBothImplementations() {
        Rng rng = new Rng(15);
        for (int[] dims : SHAPES) {
            for (boolean zeroAffine : new boolean[] {false, true}) {
                int channels = dims[1];
                Tensor x = Tensor.randn(rng, dims).mul(2).add(0.5);
                Tensor gamma = zeroAffine ? Tensor.zeros(channels) : Tensor.uniform(rng, -2, 2, channels);
                Tensor beta = zeroAffine ? Tensor.zeros(channels) : Tensor.randn(rng, channels);
                Tensor g = Tensor.randn(rng, dims);
                String what = java.util.Arrays.toString(dims) + (zeroAffine ? " with γ = β = 0" : "");
                compareBatchNorm(x, gamma, beta, g, true, "fast " + what);
                compareBatchNorm(x, gamma, beta, g, false, "reference " + what);
                compareBatchNorm(x.to(DType.FLOAT64), gamma.to(DType.FLOAT64), beta, g.to(DType.FLOAT64), false,
                        "reference float64 " + what);
            }
        }
    }

    private static void compareBatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor g, boolean fast, String what) {
        BatchNormKernels.Forward plain = fast ? BatchNormFast.train(x, gamma, beta, EPS)
                : BatchNormReference.train(x, gamma, beta, EPS);
        BatchNormKernels.Forward fused = fast ? BatchNormFast.trainRelu(x, gamma, beta, EPS)
                : BatchNormReference.trainRelu(x, gamma, beta, EPS);
        KernelTesting.assertSameBits(plain.output().relu(), fused.output(), what + ": output");
        KernelTesting.assertSameBits(plain.mean(), fused.mean(), what + ": mean");
        KernelTesting.assertSameBits(plain.variance(), fused.variance(), what + ": variance");
        KernelTesting.assertSameBits(plain.inverseStd(), fused.inverseStd(), what + ": inverse std");
        Tensor masked = g.mul(plain.output().gt(Tensor.scalar(plain.output().dtype(), 0)));
        BatchNormKernels.Gradients expected = fast
                ? BatchNormFast.backward(masked, x, gamma, plain.mean(), plain.inverseStd(), true)
                : BatchNormReference.backward(masked, x, gamma, plain.mean(), plain.inverseStd(), true);
        BatchNormKernels.Gradients actual = fast
                ? BatchNormFast.backwardRelu(g, fused.output(), x, gamma, fused.mean(), fused.inverseStd(), true)
                : BatchNormReference.backwardRelu(g, fused.output(), x, gamma, fused.mean(), fused.inverseStd(), true);
        KernelTesting.assertSameBits(expected.input(), actual.input(), what + ": dL/dx");
        KernelTesting.assertSameBits(expected.weight(), actual.weight(), what + ": dL/dγ");
        KernelTesting.assertSameBits(expected.bias(), actual.bias(), what + ": dL/dβ");
    }

    @Test
    void addReluIsAddThenReluInBothImplementations() {
        Rng rng = new Rng(16);
        for (int[] dims : SHAPES) {
            Tensor a = Tensor.randn(rng, dims);
            Tensor b = Tensor.randn(rng, dims);
            Tensor g = Tensor.randn(rng, dims);
            for (Tensor other : new Tensor[] {b, a.neg(), b.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2)}) {
                Tensor sum = a.add(other);
                Tensor expectedGradient = g.mul(sum.gt(Tensor.scalar(sum.dtype(), 0)));
                for (boolean fast : new boolean[] {true, false}) {
                    String what = (fast ? "fast " : "reference ") + java.util.Arrays.toString(dims);
                    Tensor z = fast ? AddReluFast.forward(a, other) : AddReluReference.forward(a, other);
                    KernelTesting.assertSameBits(sum.relu(), z, what + ": output");
                    KernelTesting.assertSameBits(expectedGradient,
                            fast ? AddReluFast.maskedGradient(g, z) : AddReluReference.maskedGradient(g, z),
                            what + ": masked gradient");
                }
            }
        }
    }

    @Test
    void operandsOfDifferentShapesAreRefusedNamingTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddReluKernels.forward(Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertEquals("addRelu: operands of shapes [2, 3] and [3] differ; it adds tensors of one shape only, so "
                + "broadcast with add() and relu()", e.getMessage());
    }
}
