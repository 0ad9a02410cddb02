package vista.tensor.kernels;

import static vista.tensor.kernels.BatchNormEntries.BATCH_NORM_EPS;
import static vista.tensor.kernels.OpCatalogue.ADD_RELU;
import static vista.tensor.kernels.OpCatalogue.BATCHNORM2D_RELU;

import java.util.Arrays;
import java.util.List;
import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpCatalogue.Operand;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for the operations fused with a ReLU. */
final class FusedReluEntries {
    private FusedReluEntries() {
    }

    /**
     * Training-mode batch normalisation with a ReLU ({@link BatchNormKernels#trainRelu},
     * {@link BatchNormKernels#backwardRelu}), inputs x, γ, β and an output gradient; both backward kernels
     * get the fast forward's output (so the same ReLU mask), mean and 1/std. Fast float32 against the double
     * reference: {@code |a - e| <= 1e-5 |e| + 2e-5 max |e|}, as batch normalisation alone.
     */
    static OpEntry<Operand> batchnorm2dRelu() {
        OpEntry<Operand> entry = new OpEntry<Operand>(BATCHNORM2D_RELU, "output", "mean", "variance", "inverse std",
                "dL/dx", "dL/dγ", "dL/dβ")
                .inputs((x, rng) -> new Tensor[] {x.random(rng), Tensor.uniform(rng, 0.5, 2, x.dims()[1]),
                    Tensor.randn(rng, x.dims()[1]), Tensor.randn(rng, x.dims())})
                .reference((p, x) -> forward(BatchNormReference.trainRelu(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormReference.backwardRelu(x[3], y[0], x[0], x[1], y[1], y[3],
                                true)))
                .fast((p, x) -> forward(BatchNormFast.trainRelu(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormFast.backwardRelu(x[3], y[0], x[0], x[1], y[1], y[3], true)))
                .backwardFromFastForward()
                .agreement(Agreement.within(1e-5, 2e-5, 0));
        for (int[] dims : new int[][] {{4, 1}, {9, 5}, {3, 7, 17}, {1, 3, 2, 2}, {2, 3, 5, 7}, {5, 3, 1, 1},
            {4, 17, 9, 13}, {3, 2, 4, 300}, {2, 3, 4, 5, 6}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 2, 0.5, dims).inEveryLayout()) {
                if (x.layout() != Layout.EXPANDED) {
                    entry.problem(x.toString(), x);
                }
            }
        }
        entry.threadProblem("[2, 32, 64, 64]", new Operand(Layout.CONTIGUOUS, 2, 0.3, 2, 32, 64, 64));
        for (int[] dims : new int[][] {{3, 5, 7, 3}, {9, 4, 1, 1}, {2, 2, 1, 37}}) {
            entry.widthProblem(Arrays.toString(dims), new Operand(Layout.CONTIGUOUS, 2, 0.5, dims));
        }
        return entry;
    }

    /** Two operands of one shape, in their layouts. */
    record Pair(Operand a, Operand b) {
        @Override
        public String toString() {
            return a + " and " + b;
        }
    }

    /**
     * {@code max(0, a + b)} and the masked gradient {@code g [z > 0]} ({@link AddReluKernels}), inputs a, b
     * and an output gradient: the same bits as the reference.
     */
    static OpEntry<Pair> addRelu() {
        OpEntry<Pair> entry = new OpEntry<Pair>(ADD_RELU, "max(0, a + b)", "g [z > 0]")
                .inputs((p, rng) -> new Tensor[] {p.a().random(rng), p.b().random(rng),
                    Tensor.randn(rng, p.a().dims())})
                .reference((p, x) -> new Tensor[] {AddReluReference.forward(x[0], x[1])},
                        (p, x, y) -> new Tensor[] {AddReluReference.maskedGradient(x[2], y[0])})
                .fast((p, x) -> new Tensor[] {AddReluFast.forward(x[0], x[1])},
                        (p, x, y) -> new Tensor[] {AddReluFast.maskedGradient(x[2], y[0])});
        for (int[] dims : new int[][] {{1}, {7}, {3, 17}, {2, 3, 5, 7}, {33, 17}, {2, 3, 4, 5, 6}}) {
            List<Operand> as = Operand.normal(dims).inEveryLayout();
            for (int k = 0; k < as.size(); k++) {
                Pair pair = new Pair(as.get(k), as.get((k + 1) % as.size()));
                entry.problem(pair.toString(), pair);
            }
        }
        entry.threadProblem("[9, 7, 4099]", new Pair(Operand.normal(9, 7, 4099), Operand.normal(9, 7, 4099)));
        Operand images = Operand.normal(3, 5, 17, 19);
        return entry.widthProblem("[3, 5, 17, 19]", new Pair(images, images));
    }

    private static Tensor[] forward(BatchNormKernels.Forward f) {
        return new Tensor[] {f.output(), f.mean(), f.variance(), f.inverseStd()};
    }

    private static Tensor[] gradients(BatchNormKernels.Gradients g) {
        return new Tensor[] {g.input(), g.weight(), g.bias()};
    }
}
