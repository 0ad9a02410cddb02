package vista.tensor.kernels;

import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * The scalar reference of softmax and log-softmax, in double precision with {@code StrictMath}.
 *
 * <p>Both the input and the (contiguous) output are viewed with {@code axis} moved last; in row-major
 * order of those views each row along {@code axis} is a run of consecutive indices. Per row, with
 * {@code m = max_j x_j} (subtracting it keeps every exponent {@code <= 0}, so nothing overflows):
 * <pre>
 *   softmax_i    = exp(x_i - m) / sum_j exp(x_j - m)
 *   logSoftmax_i = x_i - m - log(sum_j exp(x_j - m))
 * </pre>
 */
public final class SoftmaxReference {
    private SoftmaxReference() {
    }

    /** {@code exp(x_i - m) / sum_j exp(x_j - m)} along {@code axis}, m the row's maximum. */
    public static Tensor softmax(Tensor x, int axis) {
        return compute(x, axis, false, "softmax");
    }

    /** {@code x_i - m - log(sum_j exp(x_j - m))} along {@code axis}, m the row's maximum. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return compute(x, axis, true, "logSoftmax");
    }

    private static Tensor compute(Tensor x, int axis, boolean log, String op) {
        int a = x.shape().axis(axis, op);
        int[] order = SoftmaxKernels.axisLast(x.rank(), a);
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        int[] in = Movement.storageIndices(x.permute(order));
        int[] to = Movement.storageIndices(out.permute(order));
        Storage s = x.storage();
        Storage d = out.storage();
        int n = x.dim(a);
        for (int row = 0; row + n <= in.length && n > 0; row += n) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = row; j < row + n; j++) {
                m = Math.max(m, s.get(in[j]));
            }
            double sum = 0;
            for (int j = row; j < row + n; j++) {
                sum += StrictMath.exp(s.get(in[j]) - m);
            }
            double logSum = StrictMath.log(sum);
            for (int j = row; j < row + n; j++) {
                double shifted = s.get(in[j]) - m;
                d.set(to[j], log ? shifted - logSum : StrictMath.exp(shifted) / sum);
            }
        }
        return out;
    }
}
