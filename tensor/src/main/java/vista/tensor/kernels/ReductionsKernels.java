package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * Reductions over a set of axes: sum, mean, max, argmax and variance.
 *
 * <p>Axis rules, shared by every reduction: axes may be negative (counting from the end); naming an
 * axis twice is an error; an <b>empty axes array reduces nothing</b> (each output is the reduction of
 * the single element at its position: sum and mean return a copy of x, var returns zeros for
 * correction 0); {@code keepdim} keeps reduced axes as size-1 axes, otherwise they are removed. The
 * result has the dtype of x.
 *
 * <p>This class picks the implementation: {@link ReductionsReference} for float64 or when
 * {@link Kernels#FAST} is false, {@link ReductionsFast} otherwise.
 */
public final class ReductionsKernels {
    private ReductionsKernels() {
    }

    /** {@code out = sum_{reduced axes} x} (0 over zero elements). */
    public static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        return useFast(x) ? ReductionsFast.sum(x, axes, keepdim) : ReductionsReference.sum(x, axes, keepdim);
    }

    /** {@code out = (1/n) sum_{reduced axes} x}, n the number of reduced elements (NaN when n = 0). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        return useFast(x) ? ReductionsFast.mean(x, axes, keepdim) : ReductionsReference.mean(x, axes, keepdim);
    }

    /**
     * {@code out = max_{reduced axes} x}; NaN if any reduced element is NaN.
     *
     * @throws IllegalArgumentException if an output would reduce zero elements
     */
    public static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        return useFast(x) ? ReductionsFast.max(x, axes, keepdim) : ReductionsReference.max(x, axes, keepdim);
    }

    /**
     * The index {@code i} along {@code axis} of the largest {@code x_i}: the first one on ties; a NaN
     * counts as larger than every number, so the first NaN wins. Indices are stored as numbers in the
     * dtype of x.
     *
     * @throws IllegalArgumentException if an output would reduce zero elements
     */
    public static Tensor argmax(Tensor x, int axis, boolean keepdim) {
        return useFast(x) ? ReductionsFast.argmax(x, axis, keepdim) : ReductionsReference.argmax(x, axis, keepdim);
    }

    /**
     * {@code out = sum (x - mean)^2 / (n - correction)} over the reduced axes, in two passes (the mean,
     * then the squared deviations from it). Correction 1 gives the unbiased estimate, 0 the population
     * variance.
     *
     * @throws IllegalArgumentException if {@code n - correction <= 0}
     */
    public static Tensor var(Tensor x, int[] axes, boolean keepdim, int correction) {
        return useFast(x)
                ? ReductionsFast.var(x, axes, keepdim, correction)
                : ReductionsReference.var(x, axes, keepdim, correction);
    }

    static boolean useFast(Tensor x) {
        return Kernels.FAST && x.dtype() == DType.FLOAT32;
    }

    /** Which axes of {@code shape} are reduced, after normalising negative axes and refusing repeats. */
    static boolean[] reducedAxes(Shape shape, int[] axes, String op) {
        boolean[] reduced = new boolean[shape.rank()];
        for (int axis : axes) {
            int a = shape.axis(axis, op);
            if (reduced[a]) {
                throw new IllegalArgumentException(op + ": axis " + a + " appears twice in axes "
                        + Arrays.toString(axes) + " (shape " + shape + ")");
            }
            reduced[a] = true;
        }
        return reduced;
    }

    /** The output shape: reduced axes become 1 ({@code keepdim}) or disappear. */
    static Shape outputShape(Shape shape, boolean[] reduced, boolean keepdim) {
        int[] dims = shape.dims();
        int[] out = new int[dims.length];
        int k = 0;
        for (int a = 0; a < dims.length; a++) {
            if (!reduced[a]) {
                out[k++] = dims[a];
            } else if (keepdim) {
                out[k++] = 1;
            }
        }
        return Shape.of(Arrays.copyOf(out, k));
    }

    static void requireElements(Shape shape, int n, int outputs, String op) {
        if (n == 0 && outputs > 0) {
            throw new IllegalArgumentException(op + ": cannot reduce zero elements (shape " + shape
                    + "); the result would be undefined");
        }
    }

    static void checkCorrection(Shape shape, int n, int correction) {
        if (n - correction <= 0) {
            throw new IllegalArgumentException("var: n - correction = " + n + " - " + correction
                    + " must be positive (shape " + shape + ")");
        }
    }
}
