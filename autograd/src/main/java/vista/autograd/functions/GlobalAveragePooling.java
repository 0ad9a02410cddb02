package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;
import vista.tensor.kernels.PoolingKernels;

/**
 * Global average pooling of x {@code (N, C, H, W)} to {@code (N, C, 1, 1)} (PyTorch's
 * {@code adaptive_avg_pool2d(x, 1)}, or {@code x.mean((2, 3), keepdim=True)}):
 * {@code y[n, c, 0, 0] = (1 / (H W)) sum over y, z of x[n, c, y, z]}. Backward: every cell receives
 * {@code G[n, c, 0, 0] / (H W)}.
 */
public final class GlobalAveragePooling extends Function {

    @Override
    protected Tensor forward(Tensor... inputs) {
        return PoolingKernels.globalAvgPool(inputs[0]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {PoolingKernels.globalAvgPoolBackward(g, inputShape(0))};
    }
}
