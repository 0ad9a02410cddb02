package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of the elementwise kernels: one loop over the output in row-major order,
 * reading each operand through a broadcast view ({@link Tensor#expand}, stride 0 on repeated axes) and
 * applying the op's defining formula in double precision ({@link UnaryOp#apply}, {@link BinaryOp#apply},
 * which use {@code StrictMath}).
 *
 * <p>It serves float64 tensors, float32 tensors when {@link Kernels#FAST} is false, and is the oracle
 * the fast kernels are tested against. A float32 result is the double result rounded once to float.
 */
public final class ElementwiseReference {
    private ElementwiseReference() {
    }

    /** {@code out_i = op(x_i)}, in the dtype of {@code x}. */
    public static Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        int[] in = Movement.storageIndices(x);
        Storage from = x.storage();
        Storage to = out.storage();
        for (int i = 0; i < in.length; i++) {
            to.set(i, op.apply(from.get(in[i])));
        }
        return out;
    }

    /**
     * {@code out_i = op(a_i, b_i)} with NumPy broadcasting; the result is float64 if either operand is,
     * else float32.
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Shape shape = ElementwiseKernels.broadcastShape(op, a, b);
        Tensor out = Tensor.zeros(ElementwiseKernels.resultType(a, b), shape);
        int[] dims = shape.dims();
        int[] ia = Movement.storageIndices(a.expand(dims));
        int[] ib = Movement.storageIndices(b.expand(dims));
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage to = out.storage();
        for (int i = 0; i < ia.length; i++) {
            to.set(i, op.apply(sa.get(ia[i]), sb.get(ib[i])));
        }
        return out;
    }

    /**
     * {@code out_i = condition_i != 0 ? ifTrue_i : ifFalse_i}, all three broadcast together; the result is
     * float64 if {@code ifTrue} or {@code ifFalse} is, else float32.
     */
    public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        Shape shape = ElementwiseKernels.whereShape(condition, ifTrue, ifFalse);
        DType dtype = ElementwiseKernels.resultType(ifTrue, ifFalse);
        Tensor out = Tensor.zeros(dtype, shape);
        int[] dims = shape.dims();
        int[] ic = Movement.storageIndices(condition.expand(dims));
        int[] it = Movement.storageIndices(ifTrue.expand(dims));
        int[] iff = Movement.storageIndices(ifFalse.expand(dims));
        Storage sc = condition.storage();
        Storage st = ifTrue.storage();
        Storage sf = ifFalse.storage();
        Storage to = out.storage();
        for (int i = 0; i < ic.length; i++) {
            to.set(i, sc.get(ic[i]) != 0 ? st.get(it[i]) : sf.get(iff[i]));
        }
        return out;
    }
}
