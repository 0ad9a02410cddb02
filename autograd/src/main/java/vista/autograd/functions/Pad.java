package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Constant padding. {@code y = pad(x, before, after, value)}; {@code dL/dx} is the part of g that
 * lies over x: {@code g[before[a] : before[a] + n_a]} along every axis a (padding gets no gradient).
 */
public final class Pad extends Function {
    private final int[] before;
    private final int[] after;
    private final double value;

    public Pad(int[] before, int[] after, double value) {
        this.before = before.clone();
        this.after = after.clone();
        this.value = value;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].pad(before, after, value);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor inner = g;
        for (int a = 0; a < g.rank(); a++) {
            inner = inner.slice(a, before[a], before[a] + inputShape(0).dim(a));
        }
        return new Tensor[] {inner};
    }
}
