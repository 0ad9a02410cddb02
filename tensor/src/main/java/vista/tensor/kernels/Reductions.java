package vista.tensor.kernels;

import vista.tensor.Tensor;

/** PLACEHOLDER: replaced by the reduction kernels. */
public final class Reductions {
    private Reductions() {
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor argmax(Tensor x, int axis, boolean keepdim) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor var(Tensor x, int[] axes, boolean keepdim, int correction) {
        throw new UnsupportedOperationException("placeholder");
    }
}
