package vista.nn;

import vista.autograd.Variable;

/**
 * Global average pooling: {@code (N, C, H, W) -> (N, C, 1, 1)}, the mean of each channel's plane
 * (PyTorch's {@code nn.AdaptiveAvgPool2d(1)}); backward spreads {@code g / (H W)} over the plane. No
 * parameters. Formulas: {@link vista.autograd.functions.GlobalAvgPool2d}.
 */
public final class GlobalAvgPool2d extends Module {
    @Override
    public Variable forward(Variable input) {
        return new vista.autograd.functions.GlobalAvgPool2d().apply(input);
    }

    @Override
    public String toString() {
        return "GlobalAvgPool2d";
    }
}
