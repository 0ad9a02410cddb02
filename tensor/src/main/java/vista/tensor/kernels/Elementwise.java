package vista.tensor.kernels;

import vista.tensor.Tensor;

/** PLACEHOLDER: replaced by the elementwise kernels. */
public final class Elementwise {
    private Elementwise() {
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("placeholder");
    }

    public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        throw new UnsupportedOperationException("placeholder");
    }
}
