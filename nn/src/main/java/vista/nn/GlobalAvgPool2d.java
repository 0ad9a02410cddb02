package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Shape;

/**
 * Global average pooling: {@code (N, C, H, W) -> (N, C, 1, 1)}, the mean of each channel's plane
 * (PyTorch's {@code nn.AdaptiveAvgPool2d(1)}); backward spreads {@code g / (H W)} over the plane. No
 * parameters. Formulas: {@link vista.autograd.functions.GlobalAveragePooling}.
 */
public final class GlobalAvgPool2d extends Module implements Complexity {
    @Override
    public Variable forward(Variable input) {
        return Ledger.record(this, input, new vista.autograd.functions.GlobalAveragePooling().apply(input));
    }

    /** Other ops only, one per input element (the additions of the means). */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps(input.numel());
    }

    @Override
    public String toString() {
        return "GlobalAvgPool2d";
    }
}
