package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;
import vista.tensor.kernels.AddReluKernels;

/**
 * Sum and ReLU in one pass, for operands of one shape: {@code z = max(0, a + b)}; backward
 * {@code dL/da = dL/db = g [z > 0]} with {@code g = dL/dz} (0 where {@code a + b <= 0}).
 *
 * <p>The results have the same bits as {@link Add} followed by {@link Relu}. The masked gradient is made
 * once and returned for both inputs, as {@link Add} returns its incoming gradient for both: backward
 * functions never change a gradient they receive, and the backward pass adds a variable's gradients into
 * a new tensor, so sharing is safe (also when a and b are the same variable). Saved for backward: the
 * output z (whose sign is the mask), instead of the ReLU's input.
 */
public final class AddRelu extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor z = AddReluKernels.forward(inputs[0], inputs[1]);
        save(z);
        return z;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor masked = AddReluKernels.maskedGradient(g, saved(0));
        return new Tensor[] {needsInputGrad(0) ? masked : null, needsInputGrad(1) ? masked : null};
    }
}
