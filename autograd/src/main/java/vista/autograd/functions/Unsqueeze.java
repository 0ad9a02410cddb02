package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** A new size-1 axis. {@code y = unsqueeze(x, axis)}; {@code dL/dx = squeeze(g, axis)}. */
public final class Unsqueeze extends Function {
    private final int axis;

    public Unsqueeze(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].unsqueeze(axis);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.squeeze(axis)};
    }
}
