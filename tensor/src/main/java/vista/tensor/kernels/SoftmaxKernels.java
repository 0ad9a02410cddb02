package vista.tensor.kernels;

import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * Softmax and log-softmax along one axis, numerically stable: each row's maximum is subtracted before
 * exponentiating, so no exponent is positive and nothing overflows.
 *
 * <p>This class picks the implementation: {@link SoftmaxReference} for float64 or when
 * {@link Kernels#FAST} is false, {@link SoftmaxFast} otherwise. The result is a new contiguous tensor of
 * the input's shape and dtype.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** {@code softmax_i = exp(x_i - m) / sum_j exp(x_j - m)} along {@code axis}, m the row's maximum. */
    public static Tensor softmax(Tensor x, int axis) {
        return ReductionsKernels.useFast(x) ? SoftmaxFast.softmax(x, axis) : SoftmaxReference.softmax(x, axis);
    }

    /** {@code logSoftmax_i = x_i - m - log(sum_j exp(x_j - m))} along {@code axis}, m the row's maximum. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return ReductionsKernels.useFast(x) ? SoftmaxFast.logSoftmax(x, axis) : SoftmaxReference.logSoftmax(x, axis);
    }

    /** The permutation that moves axis {@code a} of a rank-{@code rank} tensor to the end. */
    static int[] axisLast(int rank, int a) {
        int[] order = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != a) {
                order[k++] = i;
            }
        }
        order[rank - 1] = a;
        return order;
    }
}
