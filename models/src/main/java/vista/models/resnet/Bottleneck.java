package vista.models.resnet;

import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Init;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.Rng;

/**
 * The bottleneck residual block (torchvision v1.5, stride on the 3x3 conv):
 * <pre>
 *   y = relu( bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x)))))))) + shortcut(x) )
 * </pre>
 * conv1 is 1x1 {@code in -> m}, conv2 3x3 {@code m -> m} with the block's stride and padding 1, conv3
 * 1x1 {@code m -> expansion m}; no convolution has a bias. The shortcut is x itself, or, when the
 * stride is not 1 or the width changes, {@code downsample} = 1x1 conv with the stride, then BatchNorm.
 * Parameter names follow torchvision: {@code conv1.weight}, {@code bn1.weight}, ...,
 * {@code downsample.0.weight}, {@code downsample.1.running_mean}.
 */
public final class Bottleneck extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Sequential downsample;

    public Bottleneck(int in, int mid, int expansion, int stride, boolean zeroInitLastNorm, Rng rng) {
        int out = expansion * mid;
        conv1 = registerModule("conv1", conv(in, mid, 1, 1, 0, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(mid));
        conv2 = registerModule("conv2", conv(mid, mid, 3, stride, 1, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(mid));
        conv3 = registerModule("conv3", conv(mid, out, 1, 1, 0, rng));
        bn3 = registerModule("bn3", new BatchNorm2d(out));
        if (zeroInitLastNorm) {
            Init.zeros(bn3.weight().data());
        }
        downsample = stride != 1 || in != out
                ? registerModule("downsample", new Sequential(conv(in, out, 1, stride, 0, rng), new BatchNorm2d(out)))
                : null;
    }

    static Conv2d conv(int in, int out, int kernel, int stride, int padding, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(kernel).optStride(stride).optPadding(padding)
                .optBias(false).build(rng);
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = bn1.forward(conv1.forward(x)).relu();
        y = bn2.forward(conv2.forward(y)).relu();
        y = bn3.forward(conv3.forward(y));
        Variable shortcut = downsample == null ? x : downsample.forward(x);
        return y.add(shortcut).relu();
    }
}
