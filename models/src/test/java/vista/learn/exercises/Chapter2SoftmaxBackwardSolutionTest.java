package vista.learn.exercises;

import vista.autograd.Variable;
import vista.tensor.Tensor;

/**
 * The softmax-backward checks passing on Vista's own {@code Softmax} function: x = log y is an input whose
 * softmax is y, and {@code backward(g)} leaves dL/dx in its gradient.
 */
class Chapter2SoftmaxBackwardSolutionTest extends Chapter2SoftmaxBackwardChecks {
    @Override
    SoftmaxBackward softmaxBackward() {
        return (y, g) -> {
            Variable x = new Variable(Tensor.fromArray(y, y.length).log(), true);
            x.softmax(0).backward(Tensor.fromArray(g, g.length));
            return x.grad().toDoubleArray();
        };
    }
}
