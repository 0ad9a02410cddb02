package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of {@link AddReluKernels}, in double precision, element by element over
 * contiguous copies. It serves float64 tensors, float32 ones when {@link Kernels#FAST} is false, and is
 * the oracle of the fast kernel's tests.
 */
public final class AddReluReference {
    private AddReluReference() {
    }

    /**
     * {@code max(0, a + b)}: the sum in double, then the ReLU, then rounding to the result type. Rounding to
     * nearest keeps a value's sign and turns no positive value negative, so this is the ReLU of the rounded
     * sum, the unfused result.
     */
    public static Tensor forward(Tensor a, Tensor b) {
        Tensor ac = a.contiguous();
        Tensor bc = b.contiguous();
        Tensor out = Tensor.zeros(BatchNormKernels.resultType(a, b), a.shape());
        Storage x = ac.storage();
        Storage y = bc.storage();
        for (int i = 0; i < out.numel(); i++) {
            double sum = x.get(ac.offset() + i) + y.get(bc.offset() + i);
            out.storage().set(i, sum <= 0 ? 0.0 : sum);
        }
        return out;
    }

    /** {@code g (z > 0 ? 1 : 0)}, exact in double and in float. */
    public static Tensor maskedGradient(Tensor g, Tensor z) {
        Tensor gc = g.contiguous();
        Tensor zc = z.contiguous();
        DType dtype = BatchNormKernels.resultType(g, z);
        Tensor out = Tensor.zeros(dtype, g.shape());
        for (int i = 0; i < out.numel(); i++) {
            double keep = zc.storage().get(zc.offset() + i) > 0 ? 1 : 0;
            out.storage().set(i, gc.storage().get(gc.offset() + i) * keep);
        }
        return out;
    }
}
