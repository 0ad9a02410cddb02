package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * A range along one axis. {@code y = x[start:end]} along {@code axis}; {@code dL/dx} is g padded with
 * {@code start} zeros in front and {@code n - end} behind along that axis (the unused elements get 0).
 */
public final class Slice extends Function {
    private final int axis;
    private final int start;
    private final int end;

    public Slice(int axis, int start, int end) {
        this.axis = axis;
        this.start = start;
        this.end = end;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].slice(axis, start, end);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int a = inputShape(0).axis(axis, "slice");
        int[] before = new int[g.rank()];
        int[] after = new int[g.rank()];
        before[a] = start;
        after[a] = inputShape(0).dim(a) - end;
        return new Tensor[] {g.pad(before, after, 0)};
    }
}
