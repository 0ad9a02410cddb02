package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Matrix product with NumPy's rules (batch axes broadcast; a 1-D operand is a vector).
 * {@code Y = A B}; {@code dL/dA = G B^T}, {@code dL/dB = A^T G}, where ^T swaps the last two axes,
 * each summed back over the batch axes its operand was broadcast along.
 *
 * <p>Vectors are handled by the usual promotion: a 1-D {@code A} of length k is the matrix [1, k] and
 * a 1-D {@code B} the matrix [k, 1]; the axis that promotion added is re-inserted into G before the
 * products and removed from the gradient after them.
 */
public final class MatMul extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0], inputs[1]);
        return inputs[0].matmul(inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        boolean aIsVector = a.rank() == 1;
        boolean bIsVector = b.rank() == 1;
        Tensor a2 = aIsVector ? a.unsqueeze(0) : a;
        Tensor b2 = bIsVector ? b.unsqueeze(1) : b;
        Tensor g2 = bIsVector ? g.unsqueeze(g.rank()) : g;
        g2 = aIsVector ? g2.unsqueeze(g2.rank() - 1) : g2;
        return new Tensor[] {
            needsInputGrad(0) ? gradient(g2.matmul(b2.transpose(-1, -2)), a2, a) : null,
            needsInputGrad(1) ? gradient(a2.transpose(-1, -2).matmul(g2), b2, b) : null
        };
    }

    /** Sums a product gradient over broadcast batch axes to the (promoted) operand, then drops the promotion. */
    private static Tensor gradient(Tensor product, Tensor promoted, Tensor operand) {
        return sumToShape(product, promoted.shape()).reshape(operand.dims());
    }
}
