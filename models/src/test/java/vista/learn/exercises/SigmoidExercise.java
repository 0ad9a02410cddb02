package vista.learn.exercises;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Exercise, chapter 2 (docs/learn/02-autograd.md): the logistic sigmoid as a differentiable op.
 * <pre>
 *   forward   y = 1 / (1 + e^(-x))
 *   backward  dL/dx = g y (1 - y)          (g = dL/dy, the gradient arriving from above)
 * </pre>
 * In {@link #forward}, compute y from {@code inputs[0]} with Tensor's math methods ({@code neg}, {@code exp},
 * {@code add}, {@code div}, ... or {@code sigmoid}) and keep it for the backward pass with {@code save(y)}; in
 * {@link #backward}, read it back with {@code saved(0)} and return one gradient per input. Vista's own
 * version is {@code autograd/src/main/java/vista/autograd/functions/Sigmoid.java}: try before you look.
 *
 * <p>Check your answer with {@code ./vista learn --check 2}.
 */
public final class SigmoidExercise extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        throw new UnsupportedOperationException("your code here");
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        throw new UnsupportedOperationException("your code here");
    }
}
