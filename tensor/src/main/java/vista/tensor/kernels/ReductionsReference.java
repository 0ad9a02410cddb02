package vista.tensor.kernels;

import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of the reductions, in double precision.
 *
 * <p>The tensor is viewed with its kept axes first and its reduced axes last (a permutation, no copy);
 * in row-major order of that view each output element then owns {@code n} consecutive elements (n = the
 * product of the reduced sizes), visited in row-major order of the reduced axes. Sums accumulate in a
 * double, left to right. It serves float64 tensors, float32 tensors when {@link Kernels#FAST} is false,
 * and is the oracle of the fast kernels' tests. Axis rules are those of {@link ReductionsKernels}.
 */
public final class ReductionsReference {
    private ReductionsReference() {
    }

    /** {@code out = sum_{reduced axes} x}; 0 over zero elements. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        Reduction r = Reduction.of(x, axes, keepdim, "sum");
        Tensor out = r.output();
        for (int o = 0; o < r.outer(); o++) {
            out.storage().set(o, sumOf(x.storage(), r.indices(), o * r.n(), r.n()));
        }
        return out;
    }

    /** {@code out = sum x / n}; NaN over zero elements. */
    public static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        Reduction r = Reduction.of(x, axes, keepdim, "mean");
        Tensor out = r.output();
        for (int o = 0; o < r.outer(); o++) {
            out.storage().set(o, sumOf(x.storage(), r.indices(), o * r.n(), r.n()) / r.n());
        }
        return out;
    }

    /** {@code out = max x}; NaN if any element is NaN. */
    public static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        Reduction r = Reduction.of(x, axes, keepdim, "max");
        r.requireElements();
        Tensor out = r.output();
        Storage s = x.storage();
        int[] idx = r.indices();
        for (int o = 0; o < r.outer(); o++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = o * r.n(); j < (o + 1) * r.n(); j++) {
                m = Math.max(m, s.get(idx[j]));
            }
            out.storage().set(o, m);
        }
        return out;
    }

    /**
     * {@code out = argmax_i x_i} along {@code axis}: the first index of the largest value (a NaN counts as
     * larger than any number, so the first NaN wins), stored as a number in the dtype of {@code x}.
     */
    public static Tensor argmax(Tensor x, int axis, boolean keepdim) {
        Reduction r = Reduction.of(x, new int[] {x.shape().axis(axis, "argmax")}, keepdim, "argmax");
        r.requireElements();
        Tensor out = r.output();
        Storage s = x.storage();
        int[] idx = r.indices();
        for (int o = 0; o < r.outer(); o++) {
            int best = 0;
            double m = s.get(idx[o * r.n()]);
            for (int j = 1; j < r.n(); j++) {
                double v = s.get(idx[o * r.n() + j]);
                if (!Double.isNaN(m) && (v > m || Double.isNaN(v))) {
                    best = j;
                    m = v;
                }
            }
            out.storage().set(o, best);
        }
        return out;
    }

    /**
     * {@code out = sum (x - mean)^2 / (n - correction)}, two passes: the mean first, then the squared
     * deviations from it.
     *
     * @throws IllegalArgumentException if {@code n - correction <= 0}
     */
    public static Tensor var(Tensor x, int[] axes, boolean keepdim, int correction) {
        Reduction r = Reduction.of(x, axes, keepdim, "var");
        ReductionsKernels.checkCorrection(x.shape(), r.n(), correction);
        Tensor out = r.output();
        Storage s = x.storage();
        int[] idx = r.indices();
        for (int o = 0; o < r.outer(); o++) {
            double mean = sumOf(s, idx, o * r.n(), r.n()) / r.n();
            double squares = 0;
            for (int j = o * r.n(); j < (o + 1) * r.n(); j++) {
                double d = s.get(idx[j]) - mean;
                squares += d * d;
            }
            out.storage().set(o, squares / (r.n() - correction));
        }
        return out;
    }

    private static double sumOf(Storage s, int[] idx, int from, int n) {
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            sum += s.get(idx[j]);
        }
        return sum;
    }

    /**
     * A reduction's layout: storage indices of {@code x} with kept axes outer and reduced axes inner,
     * {@code outer} outputs of {@code n} elements each, and the output tensor to fill (contiguous).
     */
    private record Reduction(int[] indices, int outer, int n, Shape outShape, Tensor source, String op) {
        static Reduction of(Tensor x, int[] axes, boolean keepdim, String op) {
            boolean[] reduced = ReductionsKernels.reducedAxes(x.shape(), axes, op);
            int rank = x.rank();
            int[] order = new int[rank];
            int k = 0;
            int n = 1;
            for (int a = 0; a < rank; a++) {
                if (!reduced[a]) {
                    order[k++] = a;
                }
            }
            for (int a = 0; a < rank; a++) {
                if (reduced[a]) {
                    order[k++] = a;
                    n *= x.dim(a);
                }
            }
            Shape outShape = ReductionsKernels.outputShape(x.shape(), reduced, keepdim);
            return new Reduction(Movement.storageIndices(x.permute(order)), outShape.numel(), n, outShape, x, op);
        }

        Tensor output() {
            return Tensor.zeros(source.dtype(), outShape);
        }

        void requireElements() {
            ReductionsKernels.requireElements(source.shape(), n, outer, op);
        }
    }
}
