package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Same elements, new dimensions. {@code y = reshape(x, dims)}; {@code dL/dx = reshape(g, shape of x)}. */
public final class Reshape extends Function {
    private final int[] dims;

    public Reshape(int... dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].reshape(dims);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inputShape(0).dims())};
    }
}
