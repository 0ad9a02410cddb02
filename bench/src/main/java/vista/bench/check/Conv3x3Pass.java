package vista.bench.check;

import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;

/**
 * A 3x3 convolution from 64 to 64 channels (stride 1, padding 1, no bias) on a batch of 8 images of
 * 56 x 56, forward and both backward passes: {@code y = conv(x, w)}, {@code dL/dx} and {@code dL/dw} for
 * a fixed {@code dL/dy}, by the fast kernels. The shapes, seed and scaling are those of
 * {@code ConvolutionBenchmark}'s {@code 3x3 forwardBackward} case and of the {@code conv3x3} case of
 * {@code bench/compare/pytorch_training.py}.
 */
public final class Conv3x3Pass {
    private final ConvGeometry geometry = ConvGeometry.convolution(64, 64, 3).padding(1).build();
    private final Tensor x;
    private final Tensor w;
    private final Tensor gradOutput;

    /** Draws the input, the weight (scaled by 0.05) and the output gradient from {@code new Rng(42)}. */
    public Conv3x3Pass() {
        Rng rng = new Rng(42);
        x = Tensor.randn(rng, 8, 64, 56, 56);
        w = Tensor.randn(rng, geometry.weightShape().dims()).mul(0.05);
        gradOutput = Tensor.randn(rng, geometry.outputShape(x.shape()).dims());
    }

    /**
     * Runs the three passes and returns the sum of one element of each result, so that none of them is
     * work the JIT could drop.
     */
    public double run() {
        Tensor y = ConvolutionKernels.forward(x, w, null, geometry);
        Tensor gradInput = ConvolutionKernels.backwardInput(gradOutput, w, x.shape(), geometry);
        Tensor gradWeight = ConvolutionKernels.backwardWeight(gradOutput, x, geometry);
        return y.get(0, 0, 0, 0) + gradInput.get(0, 0, 0, 0) + gradWeight.get(0, 0, 0, 0);
    }
}
