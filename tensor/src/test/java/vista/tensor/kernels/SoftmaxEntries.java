package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.LOG_SOFTMAX;
import static vista.tensor.kernels.OpCatalogue.SOFTMAX;

import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpCatalogue.Operand;

/** The {@link OpCatalogue}'s entries for softmax. */
final class SoftmaxEntries {
    private SoftmaxEntries() {
    }

    /**
     * Error bound of the fast softmax kernels, in float roundings (2^-24) of {@code |log p_i| + 1}: the
     * shift {@code x_i - m} is rounded in float, an absolute error of up to 2^-24 |x_i - m| that exp turns
     * into the same relative error of p_i; FastExp, the sum and the division add a few roundings more.
     */
    static final double SOFTMAX_ROUNDINGS = 8 * 0x1p-24;

    /** An operand and the axis an op runs along. */
    record Along(Operand x, int axis) {
    }

    /** Softmax: within {@link #SOFTMAX_ROUNDINGS} of p_i. */
    static OpEntry<Along> softmax() {
        return softmaxProblems(new OpEntry<Along>(SOFTMAX, "softmax")
                .reference((p, x) -> new Tensor[] {SoftmaxReference.softmax(x[0], p.axis())})
                .fast((p, x) -> new Tensor[] {SoftmaxFast.softmax(x[0], p.axis())})
                .agreement((c, i, what) -> {
                    Tensor reference = c.reference()[0];
                    Tensor roundings = SoftmaxReference.logSoftmax(c.inputs()[0], c.parameters().axis()).abs().add(1)
                            .mul(SOFTMAX_ROUNDINGS);
                    KernelTesting.assertClose(reference, c.fast()[0], withMinValue(reference.mul(roundings)), what);
                }))
                .threadProblem("rows of 301, last axis", new Along(Operand.normal(700, 301), 1))
                .threadProblem("rows of 301, first axis", new Along(Operand.normal(700, 301), 0))
                .threadProblem("images, channels", new Along(Operand.normal(4, 10, 40, 41), 1))
                .widthProblem("logits, last axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), 1))
                .widthProblem("logits, first axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), 0));
    }

    /** Log-softmax: within {@link #SOFTMAX_ROUNDINGS} of 1. */
    static OpEntry<Along> logSoftmax() {
        return softmaxProblems(new OpEntry<Along>(LOG_SOFTMAX, "log-softmax")
                .reference((p, x) -> new Tensor[] {SoftmaxReference.logSoftmax(x[0], p.axis())})
                .fast((p, x) -> new Tensor[] {SoftmaxFast.logSoftmax(x[0], p.axis())})
                .agreement((c, i, what) -> KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                        withMinValue(c.reference()[0].abs().add(1).mul(SOFTMAX_ROUNDINGS)), what)))
                .threadProblem("rows of 301, last axis", new Along(Operand.normal(700, 301), -1))
                .threadProblem("images, rows", new Along(Operand.normal(4, 10, 40, 41), 2))
                .widthProblem("logits, last axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), -1));
    }

    /** Logits 4 z on awkward shapes, in every layout, along every axis (negative ones too). */
    private static OpEntry<Along> softmaxProblems(OpEntry<Along> entry) {
        entry.inputs((p, rng) -> new Tensor[] {p.x().random(rng)});
        for (int[] dims : new int[][] {{1}, {7}, {33}, {3, 17}, {17, 1}, {2, 3, 5}, {3, 7, 1, 17}, {2, 33, 20}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 4, 0, dims).inEveryLayout()) {
                for (int axis = -dims.length; axis < dims.length; axis++) {
                    entry.problem(x + " along axis " + axis, new Along(x, axis));
                }
            }
        }
        return entry;
    }

    private static double[] withMinValue(Tensor tolerance) {
        double[] v = tolerance.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += Float.MIN_VALUE;
        }
        return v;
    }
}
