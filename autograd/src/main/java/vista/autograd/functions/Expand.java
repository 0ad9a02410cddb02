package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Broadcast to a larger shape. {@code y = expand(x, dims)}; {@code dL/dx = sumToShape(g, x)}. */
public final class Expand extends Function {
    private final int[] dims;

    public Expand(int... dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].expand(dims);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {sumToShape(g, inputShape(0))};
    }
}
