package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Removal of a size-1 axis. {@code y = squeeze(x, axis)}; {@code dL/dx = unsqueeze(g, axis)}. */
public final class Squeeze extends Function {
    private final int axis;

    public Squeeze(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].squeeze(axis);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.unsqueeze(inputShape(0).axis(axis, "squeeze"))};
    }
}
