package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.BATCHNORM2D;

import java.util.Arrays;
import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpCatalogue.Operand;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for batch normalisation. */
final class BatchNormEntries {
    private BatchNormEntries() {
    }

    /** The ε of the batch normalisation problems. */
    static final double BATCH_NORM_EPS = 1e-5;

    /**
     * Training-mode batch normalisation, inputs x, γ, β and an output gradient; both backward kernels get
     * the fast forward's mean and 1/std. Fast float32 against the double reference:
     * {@code |a - e| <= 1e-5 |e| + 2e-5 max |e|}.
     */
    static OpEntry<Operand> batchnorm2d() {
        OpEntry<Operand> entry = new OpEntry<Operand>(BATCHNORM2D, "output", "mean", "variance", "inverse std",
                "dL/dx", "dL/dγ", "dL/dβ")
                .inputs((x, rng) -> new Tensor[] {x.random(rng), Tensor.uniform(rng, 0.5, 2, x.dims()[1]),
                    Tensor.randn(rng, x.dims()[1]), Tensor.randn(rng, x.dims())})
                .reference((p, x) -> forward(BatchNormReference.train(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormReference.backward(x[3], x[0], x[1], y[1], y[3], true)))
                .fast((p, x) -> forward(BatchNormFast.train(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormFast.backward(x[3], x[0], x[1], y[1], y[3], true)))
                .backwardFromFastForward()
                .agreement(Agreement.within(1e-5, 2e-5, 0));
        // Batch 1, odd channel counts, runs shorter than a vector, and runs longer than a block.
        for (int[] dims : new int[][] {{4, 1}, {9, 5}, {3, 7, 17}, {1, 3, 2, 2}, {2, 3, 5, 7}, {1, 7, 17, 1},
            {5, 3, 1, 1}, {4, 17, 9, 13}, {3, 2, 4, 300}, {20, 2, 70, 70}, {2, 3, 4, 5, 6}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 2, 0.5, dims).inEveryLayout()) {
                if (x.layout() != Layout.EXPANDED) {
                    entry.problem(x.toString(), x);
                }
            }
        }
        entry.threadProblem("[2, 64, 64, 64]", new Operand(Layout.CONTIGUOUS, 2, 0.3, 2, 64, 64, 64));
        for (int[] dims : new int[][] {{3, 5, 7, 3}, {2, 3, 70, 70}, {9, 4, 1, 1}, {2, 2, 1, 37}}) {
            entry.widthProblem(Arrays.toString(dims), new Operand(Layout.CONTIGUOUS, 2, 0.5, dims));
        }
        return entry;
    }

    private static Tensor[] forward(BatchNormKernels.Forward f) {
        return new Tensor[] {f.output(), f.mean(), f.variance(), f.inverseStd()};
    }

    private static Tensor[] gradients(BatchNormKernels.Gradients g) {
        return new Tensor[] {g.input(), g.weight(), g.bias()};
    }
}
