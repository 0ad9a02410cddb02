package vista.tensor.kernels;

import java.util.Locale;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * Elementwise operations: one function applied independently at every position, with NumPy
 * broadcasting for several operands.
 *
 * <p>This class checks shapes and picks the implementation: {@link ElementwiseReference} for float64
 * results or when {@link Kernels#FAST} is false, {@link ElementwiseFast} otherwise. Both return a new
 * contiguous tensor; operands may be any strided or broadcast views.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** {@code out_i = op(x_i)}, in the dtype of {@code x}. */
    public static Tensor unary(UnaryOp op, Tensor x) {
        return isFast(x) ? ElementwiseFast.unary(op, x) : ElementwiseReference.unary(op, x);
    }

    /**
     * {@code out_i = op(a_i, b_i)} after broadcasting {@code a} and {@code b} to a common shape (NumPy
     * rules: trailing axes aligned, sizes equal or 1). The result is float64 if either operand is, else
     * float32.
     *
     * @throws IllegalArgumentException naming the op and both shapes if they do not broadcast
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return isFast(a) && isFast(b) ? ElementwiseFast.binary(op, a, b) : ElementwiseReference.binary(op, a, b);
    }

    /**
     * {@code out_i = condition_i != 0 ? ifTrue_i : ifFalse_i}, the three broadcast together. The result is
     * float64 if {@code ifTrue} or {@code ifFalse} is, else float32 (the condition's dtype does not matter;
     * a float64 condition takes the reference kernel, so that tiny non-zero doubles still count as true).
     */
    public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        return isFast(condition) && isFast(ifTrue) && isFast(ifFalse)
                ? ElementwiseFast.where(condition, ifTrue, ifFalse)
                : ElementwiseReference.where(condition, ifTrue, ifFalse);
    }

    /** True if {@code t} may take the fast float32 kernels. */
    static boolean isFast(Tensor t) {
        return Kernels.FAST && t.dtype() == DType.FLOAT32;
    }

    /** FLOAT64 if any operand is FLOAT64, else FLOAT32. */
    static DType resultType(Tensor a, Tensor b) {
        return a.dtype() == DType.FLOAT64 || b.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
    }

    static Shape broadcastShape(BinaryOp op, Tensor a, Tensor b) {
        return Shape.broadcast(op.name().toLowerCase(Locale.ROOT), a.shape(), b.shape());
    }

    static Shape whereShape(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        return Shape.broadcast("where", Shape.broadcast("where", condition.shape(), ifTrue.shape()), ifFalse.shape());
    }
}
